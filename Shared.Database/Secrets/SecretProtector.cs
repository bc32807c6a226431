using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.Database.Secrets;

/// <summary>
/// Encrypts channel secrets at rest with AES-GCM under the deployment's key (configuration Secrets:EncryptionKey,
/// base64 of 32 bytes). Layout: version byte, 12-byte nonce, 16-byte tag, ciphertext.
/// </summary>
public sealed class SecretProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretProtector(string base64Key)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64Key); }
        catch (FormatException) { throw new InvalidOperationException("Secrets:EncryptionKey must be base64."); }
        if (key.Length != 32)
        {
            throw new InvalidOperationException("Secrets:EncryptionKey must be 32 bytes (base64 of 32 random bytes).");
        }

        _key = key;
    }

    public byte[] Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize));
        return output;
    }

    public string Unprotect(byte[] protectedSecret)
    {
        if (protectedSecret.Length < 1 + NonceSize + TagSize || protectedSecret[0] != Version)
        {
            throw new CryptographicException("Not a secret protected by this version of SecretProtector.");
        }

        var cipher = protectedSecret.AsSpan(1 + NonceSize + TagSize);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(protectedSecret.AsSpan(1, NonceSize), cipher, protectedSecret.AsSpan(1 + NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
