using SaasAssistants.AppHost.Hosting.Orchestration;

namespace SaasAssistants.AppHost.Hosting.Dashboard;

/// <summary>One element of <c>GET /api/resources</c>.</summary>
public sealed record ResourceDto(string Name, string Type, string State, string? Health, IReadOnlyList<string> Endpoints, int? ExitCode, int? Pid)
{
    public static ResourceDto From(ResourceSnapshot snapshot) =>
        new(snapshot.Name, snapshot.Type, snapshot.State, snapshot.Health?.ToString(), snapshot.Urls, snapshot.ExitCode, snapshot.ProcessId);
}
