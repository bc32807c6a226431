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
        "webapp", "gateway", "public-api", "message-processor",
        "postgres", "redis", "messaging", "messaging-management", "messaging-dist", "messaging-epmd",
    ];

    public IReadOnlyDictionary<string, int> Ports { get; } = PortNames.ToDictionary(name => name, _ => PortAvailability.GetFreePort());

    public string ApiKey { get; init; } = "sa_demo_" + TestSecrets.RandomUrlSafe(32);

    public string WebChannelToken { get; init; } = "wc_" + TestSecrets.RandomUrlSafe(24);

    /// <summary>A new temporary state folder (readable by the postgres user), deleted by <see cref="DeleteStateDirectory"/>.</summary>
    public static AppHostArguments InNewStateDirectory() => new(TemporaryFolders.Create("saas-testing-apphost"));

    public string[] ToArgs(params string[] extra) =>
    [
        "--state-dir", StateDirectory,
        .. Ports.Select(p => $"--Ports:{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}"),
        $"--Seed:ApiKey={ApiKey}",
        $"--Seed:WebChannelToken={WebChannelToken}",
        .. extra,
    ];

    public void DeleteStateDirectory() => TemporaryFolders.Delete(StateDirectory);
}
