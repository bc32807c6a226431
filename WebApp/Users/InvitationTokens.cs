using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// An invitation's token: 256 random bits in the link, only its SHA-256 hash stored (like an API key, it is
/// high-entropy, so a fast unsalted hash is enough), so the table alone lets nobody in.
/// </summary>
public static class InvitationTokens
{
    public const string PathPrefix = "/invitations/";

    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
