using System.Security.Cryptography;

namespace SaasAssistants.Testing;

/// <summary>Random secrets in the formats the product expects (as the AppHost generates them for its state folder).</summary>
public static class TestSecrets
{
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string RandomUrlSafe(int length) => RandomNumberGenerator.GetString(UrlSafe, length);

    /// <summary>A key for channel secrets at rest (Secrets:EncryptionKey): base64 of 32 random bytes.</summary>
    public static string EncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
