using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.Gateway.Webhooks.Meta;

/// <summary>
/// Meta's X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body bytes under the app secret. Compared in
/// constant time, so the time taken tells an attacker nothing about how much of a forged signature was right.
/// </summary>
public static class MetaSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static bool Verify(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length != Prefix.Length + 64)
        {
            return false;
        }

        byte[] received;
        try
        {
            received = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(received, HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));
    }

}
