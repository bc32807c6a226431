using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.IntegrationTests.Webhooks;

/// <summary>
/// What a receiver following https://www.standardwebhooks.com does, written from the specification and not from our
/// signer (which uses the StandardWebhooks package): the key is the base64 after "whsec_", the signed content is
/// "{webhook-id}.{webhook-timestamp}.{body}", and webhook-signature lists space-separated "v1,{base64 HMAC-SHA256}".
/// </summary>
public static class IndependentSignature
{
    public static string Expected(string secret, ReceivedWebhook webhook)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.{webhook.Body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    public static bool Verifies(string secret, ReceivedWebhook webhook)
    {
        var expected = Encoding.ASCII.GetBytes(Expected(secret, webhook));
        return webhook.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }

    /// <summary>The timestamp is the sending time in Unix seconds; receivers allow five minutes of skew.</summary>
    public static bool IsFresh(ReceivedWebhook webhook) =>
        long.TryParse(webhook.Timestamp, out var seconds)
        && Math.Abs((DateTimeOffset.FromUnixTimeSeconds(seconds) - webhook.At).TotalSeconds) < 300;
}
