using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SaasAssistants.MessageProcessor.Ai.Providers;

namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>
/// Sends WhatsApp messages through Twilio: <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded
/// From/To ("whatsapp:+…") and Body, basic auth with the account SID and auth token. Returns the message SID.
/// </summary>
public sealed class TwilioClient(HttpClient http, IOptions<ChannelsOptions> options, TimeProvider time)
{
    public async Task<string> SendWhatsAppTextAsync(string accountSid, string authToken, string from, string to, string text, CancellationToken cancellationToken)
    {
        var uri = new Uri(options.Value.TwilioBaseUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(accountSid)}/Messages.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["From"] = Address(from),
                ["To"] = Address(to),
                ["Body"] = text,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}")));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ChannelSendException(ChannelSendException.ChannelUnavailable, true, $"Twilio unreachable: {ex.Message}");
        }
        using (response)
        {
            JsonNode? json = null;
            try { json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)); }
            catch (JsonException) { }
            if (response.IsSuccessStatusCode)
            {
                return json?["sid"]?.GetValue<string>() ?? throw new ChannelSendException("invalid_response", true, "Twilio accepted the send but returned no sid.");
            }
            // {"code":21211,"message":"The 'To' number is not a valid phone number.","more_info":"…","status":400}
            var code = json?["code"] is JsonValue value && value.TryGetValue<long>(out var number) ? number.ToString(CultureInfo.InvariantCulture) : $"http_{(int)response.StatusCode}";
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            var retryAfter = RetryAfterHeader.Parse(null, response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null, time.GetUtcNow());
            throw new ChannelSendException(code, retryable, $"Twilio {(int)response.StatusCode}: {json?["message"]?.GetValue<string>() ?? response.ReasonPhrase}", retryAfter);
        }
    }

    /// <summary>Our ids are bare numbers (as WhatsApp's wa_id); Twilio wants "whatsapp:+{number}".</summary>
    private static string Address(string number) => number.StartsWith("whatsapp:", StringComparison.Ordinal) ? number : "whatsapp:+" + number.TrimStart('+');
}
