using System.Globalization;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Testing;

/// <summary>
/// Command-line arguments that start the AppHost beside anything else on this machine (a developer's running AppHost
/// included): every port it would open on a free one, through the user's own <c>--Ports:NAME=N</c> option, and a
/// state folder of the test's (<c>--state-dir</c>); fixed demo credentials through <c>--Seed:*</c>.
/// </summary>
public sealed record AppHostArguments(string StateDirectory)
{
    public static readonly string[] PortNames =
    [
        "webapp", "gateway", "public-api", "message-processor", "channel-simulator",
        "postgres", "redis", "messaging", "messaging-management", "messaging-dist", "messaging-epmd",
    ];

    public IReadOnlyDictionary<string, int> Ports { get; } = PortNames.ToDictionary(name => name, _ => PortAvailability.GetFreePort());

    public string ApiKey { get; init; } = "sa_demo_" + TestSecrets.RandomUrlSafe(32);

    public string WebChannelToken { get; init; } = "wc_" + TestSecrets.RandomUrlSafe(24);

    /// <summary>The demo WhatsApp channel's settings, so a test signs its own deliveries as Meta would.</summary>
    public string WhatsAppChannelKey { get; init; } = "wa_" + TestSecrets.RandomUrlSafe(24);

    public string WhatsAppPhoneNumberId { get; init; } = "1" + Random.Shared.NextInt64(10_000_000_000_000, 99_999_999_999_999).ToString(CultureInfo.InvariantCulture);

    public string WhatsAppVerifyToken { get; init; } = TestSecrets.RandomUrlSafe(24);

    public string WhatsAppAppSecret { get; init; } = TestSecrets.RandomUrlSafe(32);

    /// <summary>A new temporary state folder (readable by the postgres user), deleted by <see cref="DeleteStateDirectory"/>.</summary>
    public static AppHostArguments InNewStateDirectory() => new(TemporaryFolders.Create("saas-testing-apphost"));

    public string[] ToArgs(params string[] extra) =>
    [
        "--state-dir", StateDirectory,
        .. Ports.Select(p => $"--Ports:{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}"),
        $"--Seed:ApiKey={ApiKey}",
        $"--Seed:WebChannelToken={WebChannelToken}",
        $"--Seed:WhatsApp:ChannelKey={WhatsAppChannelKey}",
        $"--Seed:WhatsApp:PhoneNumberId={WhatsAppPhoneNumberId}",
        $"--Seed:WhatsApp:VerifyToken={WhatsAppVerifyToken}",
        $"--Seed:WhatsApp:AppSecret={WhatsAppAppSecret}",
        .. extra,
    ];

    public void DeleteStateDirectory() => TemporaryFolders.Delete(StateDirectory);
}
