using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Gateway.Channels;

namespace SaasAssistants.Gateway.Widget;

/// <summary>
/// Issues and checks visitor session tokens. The channel token is public (it is in the page), so a visitor proves
/// who they are with a session the Gateway signed: "{channelId}.{sessionId}.{expiresUnix}" plus an HMAC-SHA256 under
/// the channel's own secret (decrypted from the database), so rotating that secret ends every session of the channel.
/// </summary>
public sealed class WidgetSessionSigner(SecretProtector secrets, IOptions<WidgetOptions> options, TimeProvider time)
{
    public WidgetSession Issue(ResolvedChannel channel)
    {
        var sessionId = "ws_" + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
        var expiresAt = time.GetUtcNow().Add(options.Value.SessionLifetime);
        var payload = $"{channel.ChannelId:N}.{sessionId}.{expiresAt.ToUnixTimeSeconds()}";
        var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload)) + "." + WebEncoders.Base64UrlEncode(Sign(channel, payload));
        return new WidgetSession(sessionId, token, expiresAt);
    }

    /// <summary>True when the token was issued for this channel and session and has not expired.</summary>
    public bool Verify(ResolvedChannel channel, string sessionId, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return false;
        }

        var dot = token.IndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        string payload;
        byte[] signature;
        try
        {
            payload = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token[..dot]));
            signature = WebEncoders.Base64UrlDecode(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(channel, payload)))
        {
            return false;
        }

        var parts = payload.Split('.');
        return parts.Length == 3
            && parts[0] == channel.ChannelId.ToString("N")
            && parts[1] == sessionId
            && long.TryParse(parts[2], out var expires)
            && expires > time.GetUtcNow().ToUnixTimeSeconds();
    }

    private byte[] Sign(ResolvedChannel channel, string payload)
        => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets.Unprotect(channel.SecretEncrypted)), Encoding.UTF8.GetBytes(payload));
}

public sealed record WidgetSession(string SessionId, string SessionToken, DateTimeOffset ExpiresAt);
