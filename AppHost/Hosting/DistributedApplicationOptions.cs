namespace SaasAssistants.AppHost.Hosting;

public sealed record DistributedApplicationOptions
{
    public string[] Args { get; init; } = [];

    /// <summary>
    /// Read AppHost/appsettings*.json. The testing builder does not, so a developer's local settings
    /// (a connection string to some server, fixed ports) never leak into tests.
    /// </summary>
    public bool ReadAppSettings { get; init; } = true;
}
