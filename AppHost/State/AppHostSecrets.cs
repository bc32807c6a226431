using System.Security.Cryptography;
using System.Text.Json;

namespace SaasAssistants.AppHost.State;

/// <summary>
/// Secrets generated on first start and kept in the state folder's secrets.json, so data written by one run
/// (encrypted channel secrets, the app role's password, the demo API key) still works in the next.
/// </summary>
public sealed record AppHostSecrets
{
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The PostgreSQL superuser's password (local server only).</summary>
    public string PostgresPassword { get; init; } = RandomUrlSafe(32);

    /// <summary>Password of the role the services connect as (saas_app).</summary>
    public string AppRolePassword { get; init; } = RandomUrlSafe(32);

    /// <summary>AES-GCM key for channel secrets at rest: base64 of 32 random bytes.</summary>
    public string EncryptionKey { get; init; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The demo tenant's API key (the format check is Shared.Database's).</summary>
    public string ApiKey { get; init; } = "sa_demo_" + RandomUrlSafe(32);

    /// <summary>
    /// The message-processor's <c>Admin:Token</c>: the <c>X-Admin-Token</c> its admin actions (dead-letter replay) ask
    /// for. Generated like the others so no run ever falls back to an empty or well-known token.
    /// </summary>
    public string AdminToken { get; init; } = RandomUrlSafe(32);

    /// <summary>The demo web channel's public token.</summary>
    public string WebChannelToken { get; init; } = "wc_" + RandomUrlSafe(24);

    /// <summary>The demo WhatsApp channel, shared by the seed and the channel simulator (which plays Meta for it).</summary>
    public DemoChannelSecrets WhatsApp { get; init; } = DemoChannelSecrets.Generate("wa_", "1" + RandomDigits(14));

    /// <summary>The demo Instagram channel, likewise.</summary>
    public DemoChannelSecrets Instagram { get; init; } = DemoChannelSecrets.Generate("ig_", "17841" + RandomDigits(12));

    public static string RandomUrlSafe(int length) => RandomNumberGenerator.GetString(UrlSafe, length);

    private static string RandomDigits(int length) => RandomNumberGenerator.GetString("0123456789", length);

    /// <summary>Reads the file, or creates it (readable by its owner only). Values missing from an older file are added.</summary>
    public static AppHostSecrets LoadOrCreate(string path)
    {
        var existingText = File.Exists(path) ? File.ReadAllText(path) : null;
        var secrets = existingText is null ? new AppHostSecrets() : JsonSerializer.Deserialize<AppHostSecrets>(existingText) ?? new AppHostSecrets();
        var text = JsonSerializer.Serialize(secrets, JsonOptions);
        if (text != existingText)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secrets;
    }
}
