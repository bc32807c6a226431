using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.Gateway.Webhooks.Twilio;

/// <summary>
/// Twilio's X-Twilio-Signature: base64 of HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio
/// requested followed by every POST parameter's name and value, sorted by name (ordinal). Compared in constant time.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static bool Verify(string url, IEnumerable<KeyValuePair<string, string>> parameters, string? header, string authToken)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 100)
        {
            return false;
        }

        byte[] received;
        try
        {
            received = Convert.FromBase64String(header);
        }
        catch (FormatException)
        {
            return false;
        }
        var data = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return CryptographicOperations.FixedTimeEquals(received, expected);
    }
}
