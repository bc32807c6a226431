using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>What is known about a resource at one moment (the dashboard and /api/resources show this).</summary>
public sealed record ResourceSnapshot(string Name, string Type)
{
    public string State { get; init; } = KnownResourceStates.NotStarted;

    /// <summary>Null while unknown, or for resources without a health check.</summary>
    public HealthStatus? Health { get; init; }

    public int? ExitCode { get; init; }

    public int? ProcessId { get; init; }

    public IReadOnlyList<string> Urls { get; init; } = [];

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Running and healthy (or without health check) — what WaitFor waits for.</summary>
    public bool IsReady(bool hasHealthCheck) =>
        State == KnownResourceStates.Running && (hasHealthCheck ? Health == HealthStatus.Healthy : true);
}
