using StandardWebhooks;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// The <c>webhook-signature</c> header per Standard Webhooks: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
/// the key being the base64-decoded part of the <c>whsec_</c> secret. During a secret rotation the previous secret signs
/// too, space-separated, so a receiver that still holds the old secret keeps verifying until it switches.
/// </summary>
public static class WebhookSignatures
{
    public static string Header(string messageId, DateTimeOffset timestamp, string body, IEnumerable<string> secrets) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, body)));
}
