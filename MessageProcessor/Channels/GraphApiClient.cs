using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SaasAssistants.MessageProcessor.Ai.Providers;

namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>
/// Sends through Meta's Graph API: WhatsApp Cloud API <c>POST /{version}/{phone_number_id}/messages</c> and Instagram
/// <c>POST /{version}/{ig_id}/messages</c>, with the channel's access token. Returns the id Meta gave the message
/// (wamid / mid). 429 and 5xx are retryable (with Retry-After when given); other refusals carry Meta's error code.
/// </summary>
public sealed class GraphApiClient(HttpClient http, IOptions<ChannelsOptions> options, TimeProvider time)
{
    public Task<string> SendWhatsAppTextAsync(string phoneNumberId, string accessToken, string to, string text, CancellationToken cancellationToken) =>
        SendAsync(phoneNumberId, accessToken, new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
            ["type"] = "text",
            ["text"] = new JsonObject { ["preview_url"] = false, ["body"] = text },
        }, response => response["messages"]?[0]?["id"]?.GetValue<string>(), cancellationToken);

    public Task<string> SendWhatsAppTemplateAsync(string phoneNumberId, string accessToken, string to, TemplateMessage template, CancellationToken cancellationToken)
    {
        var parameters = new JsonArray([.. template.BodyParameters.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p })]);
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
            ["type"] = "template",
            ["template"] = new JsonObject
            {
                ["name"] = template.Name,
                ["language"] = new JsonObject { ["code"] = template.Language },
                ["components"] = parameters.Count == 0 ? new JsonArray() : new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = parameters }),
            },
        };
        return SendAsync(phoneNumberId, accessToken, body, response => response["messages"]?[0]?["id"]?.GetValue<string>(), cancellationToken);
    }

    public Task<string> SendInstagramTextAsync(string accountId, string accessToken, string recipientId, string text, CancellationToken cancellationToken) =>
        SendAsync(accountId, accessToken, new JsonObject
        {
            ["recipient"] = new JsonObject { ["id"] = recipientId },
            ["message"] = new JsonObject { ["text"] = text },
        }, response => response["message_id"]?.GetValue<string>(), cancellationToken);

    private async Task<string> SendAsync(string senderId, string accessToken, JsonObject body, Func<JsonNode, string?> readId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var uri = new Uri(settings.GraphBaseUrl, $"{settings.GraphVersion}/{Uri.EscapeDataString(senderId)}/messages");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ChannelSendException(ChannelSendException.ChannelUnavailable, true, $"Graph API unreachable: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChannelSendException(ChannelSendException.ChannelUnavailable, true, $"Graph API timed out: {ex.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = TryParse(text);
            if (response.IsSuccessStatusCode)
            {
                return (json is null ? null : readId(json))
                    ?? throw new ChannelSendException("invalid_response", true, "The Graph API accepted the send but returned no message id.");
            }
            // {"error":{"message":..,"type":..,"code":131047,"error_data":{..},"fbtrace_id":..}}
            var error = json?["error"];
            var code = error?["code"] is JsonValue value && value.TryGetValue<long>(out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : $"http_{(int)response.StatusCode}";
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            var retryAfter = RetryAfterHeader.Parse(null, response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null, time.GetUtcNow());
            throw new ChannelSendException(code, retryable,
                $"Graph API {(int)response.StatusCode}: {error?["message"]?.GetValue<string>() ?? response.ReasonPhrase}", retryAfter);
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
