using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace SaasAssistants.AppHost.State;

/// <summary>
/// A demo Meta channel's settings (callback key, phone_number_id or Instagram account id, verify token, app secret,
/// access token): generated once and kept in secrets.json, so the seed, the channel simulator and a check from outside
/// (through <c>Seed:WhatsApp:*</c> / <c>Seed:Instagram:*</c>) all sign and verify with the same values.
/// </summary>
public sealed record DemoChannelSecrets(string ChannelKey, string AccountId, string VerifyToken, string AppSecret, string AccessToken)
{
    public static DemoChannelSecrets Generate(string keyPrefix, string accountId) => new(
        keyPrefix + AppHostSecrets.RandomUrlSafe(24),
        accountId,
        AppHostSecrets.RandomUrlSafe(24),
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        "EAAsim" + AppHostSecrets.RandomUrlSafe(32));

    /// <summary>Values given in configuration (<c>Seed:WhatsApp:PhoneNumberId</c> etc.) win over the persisted ones.</summary>
    public DemoChannelSecrets WithOverrides(IConfigurationSection section, string accountIdKey) => new(
        Value(section, "ChannelKey") ?? ChannelKey,
        Value(section, accountIdKey) ?? AccountId,
        Value(section, "VerifyToken") ?? VerifyToken,
        Value(section, "AppSecret") ?? AppSecret,
        Value(section, "AccessToken") ?? AccessToken);

    private static string? Value(IConfigurationSection section, string key) => section[key] is { Length: > 0 } value ? value : null;
}
