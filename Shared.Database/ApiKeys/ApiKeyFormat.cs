using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.Database.ApiKeys;

/// <summary>
/// The shape of a PublicApi key: <c>sa_{prefix}_{secret}</c>. The prefix is stored in clear to find the row
/// (through <c>resolve_api_key(prefix)</c>), the whole key only as its SHA-256 hash: a leaked database does not
/// leak usable keys, and a key is high-entropy, so a fast hash is enough (no salt or stretching needed).
/// </summary>
public static class ApiKeyFormat
{
    private const string Scheme = "sa";

    /// <summary>A new key: 8 lowercase hex characters of prefix, 32 url-safe characters (192 bits) of secret.</summary>
    public static string Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        return $"{Scheme}_{prefix}_{secret}";
    }

    /// <summary>The text between the first and the second underscore; false when the key is not of this shape.</summary>
    public static bool TryGetPrefix(string? key, out string prefix)
    {
        prefix = string.Empty;
        if (key is null || !key.StartsWith(Scheme + "_", StringComparison.Ordinal))
        {
            return false;
        }

        var start = Scheme.Length + 1;
        var end = key.IndexOf('_', start);
        // The secret may itself contain underscores (url-safe base64), so only the second underscore ends the prefix.
        if (end <= start || end == key.Length - 1)
        {
            return false;
        }

        prefix = key[start..end];
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time comparison, so response timing does not reveal how much of a guessed key was right.</summary>
    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
