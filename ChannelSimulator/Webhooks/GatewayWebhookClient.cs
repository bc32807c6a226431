using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SaasAssistants.ChannelSimulator.Webhooks;

/// <summary>
/// Posts webhooks to the Gateway exactly as Meta does: the documented envelope, the raw bytes signed with the app
/// secret in X-Hub-Signature-256, one channel callback URL each.
/// </summary>
public sealed class GatewayWebhookClient(HttpClient http, IOptions<SimulatorOptions> options)
{
    public Task<GatewayAnswer> PostWhatsAppAsync(JsonObject value, CancellationToken cancellationToken)
    {
        var channel = options.Value.WhatsApp;
        value["messaging_product"] = "whatsapp";
        value["metadata"] = new JsonObject { ["display_phone_number"] = "15550000000", ["phone_number_id"] = channel.AccountId };
        var body = new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "100000000000000",
                ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = "messages" }),
            }),
        };
        return PostAsync($"v1/webhooks/whatsapp/{channel.ChannelKey}", channel, body, cancellationToken);
    }

    public Task<GatewayAnswer> PostInstagramAsync(JsonObject messaging, CancellationToken cancellationToken)
    {
        var channel = options.Value.Instagram;
        var body = new JsonObject
        {
            ["object"] = "instagram",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = channel.AccountId,
                ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["messaging"] = new JsonArray(messaging),
            }),
        };
        return PostAsync($"v1/webhooks/instagram/{channel.ChannelKey}", channel, body, cancellationToken);
    }

    /// <summary>A Twilio webhook: form-encoded, signed with HMAC-SHA1 of the URL plus the sorted parameters under the auth token.</summary>
    public async Task<GatewayAnswer> PostTwilioAsync(IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        var channel = options.Value.Twilio;
        if (!channel.IsConfigured)
        {
            return new GatewayAnswer(0, "The Twilio channel is not configured in the simulator (Simulator:Twilio).");
        }

        var url = new Uri(options.Value.GatewayUrl, $"v1/webhooks/twilio/{channel.ChannelKey}").ToString();
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature",
            Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(channel.AppSecret!), Encoding.UTF8.GetBytes(data.ToString()))));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return new GatewayAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return new GatewayAnswer(0, $"The Gateway is unreachable: {ex.Message}");
        }
    }

    private async Task<GatewayAnswer> PostAsync(string path, SimulatedChannel channel, JsonObject body, CancellationToken cancellationToken)
    {
        if (!channel.IsConfigured)
        {
            return new GatewayAnswer(0, "This channel is not configured in the simulator (Simulator:WhatsApp / Simulator:Instagram).");
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.GatewayUrl, path)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channel.AppSecret!), bytes)));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return new GatewayAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return new GatewayAnswer(0, $"The Gateway is unreachable: {ex.Message}");
        }
    }
}

/// <summary>What the Gateway answered a webhook: Meta would retry anything but a 200.</summary>
public sealed record GatewayAnswer(int Status, string Body);
