using Microsoft.Extensions.Configuration;

namespace SaasAssistants.AppHost.Hosting;

/// <summary>The AppHost's own settings, read from configuration (keys documented in Program.cs).</summary>
public sealed record AppHostSettings
{
    public const string StateDirectoryKey = "AppHost:StateDirectory";
    public const string ResetKey = "AppHost:Reset";
    public const string EphemeralStateKey = "AppHost:EphemeralState";
    public const string RandomPortsKey = "AppHost:RandomPorts";
    public const string EchoLogsKey = "AppHost:EchoLogs";
    public const string StartupTimeoutKey = "AppHost:StartupTimeoutSeconds";
    public const string DashboardEnabledKey = "Dashboard:Enabled";
    public const string DashboardPortKey = "Dashboard:Port";

    public const int DefaultDashboardPort = 18888;

    /// <summary>Delete the state folder when the application stops (tests).</summary>
    public bool EphemeralState { get; init; }

    /// <summary>Every port on a free one, chosen at Build (tests), unless <c>Ports:{name}</c> names it.</summary>
    public bool RandomPorts { get; init; }

    /// <summary>
    /// Echo every resource's console output to ours, prefixed with its name. Off by default, as in Aspire: the
    /// dashboard shows each resource's logs, and a failing resource's last lines are printed anyway.
    /// </summary>
    public bool EchoLogs { get; init; }

    /// <summary>How long a resource may take from Starting to healthy (or a migrator to finish).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public bool DashboardEnabled { get; init; } = true;

    /// <summary>Null: default 18888, or a free port with random ports.</summary>
    public int? DashboardPort { get; init; }

    public static AppHostSettings From(IConfiguration configuration) => new()
    {
        EphemeralState = configuration.GetValue(EphemeralStateKey, false),
        RandomPorts = configuration.GetValue(RandomPortsKey, false),
        EchoLogs = configuration.GetValue(EchoLogsKey, false),
        StartupTimeout = TimeSpan.FromSeconds(configuration.GetValue(StartupTimeoutKey, 90)),
        DashboardEnabled = configuration.GetValue(DashboardEnabledKey, true),
        DashboardPort = configuration.GetValue<int?>(DashboardPortKey),
    };
}
