namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// One measured scenario. For the engine: <see cref="Seconds"/> runs from the first claim to the last Succeeded, and
/// claim-to-start is the engine's own <c>saas.tasks.claim_to_start</c> histogram (from the claim returning to the
/// processor starting: the time a claimed task waits inside the worker), every measurement of every worker. For
/// pgbench: <see cref="Seconds"/> is the run's length and there is no claim-to-start. CPU per task is the CPU the worker
/// processes (or PostgreSQL, backends and background processes alike) used during the scenario, divided by its tasks.
/// </summary>
public sealed record ScenarioResult(
    ScenarioKind Kind,
    string Scenario,
    long Tasks,
    double Seconds,
    double TasksPerSecond,
    double? ClaimToStartP50Ms = null,
    double? ClaimToStartP95Ms = null,
    double? ClaimToStartP99Ms = null,
    double? EnqueueSeconds = null,
    string? Note = null)
{
    /// <summary>Tasks the engine's claims returned on average (Tasks:BatchSize is the most).</summary>
    public double? TasksPerClaim { get; init; }

    public double? WorkerCpuMsPerTask { get; init; }

    public double? DatabaseCpuMsPerTask { get; init; }

    /// <summary>Warnings and errors the workers logged (the engine logs none for a task that simply succeeds).</summary>
    public int? WorkerWarnings { get; init; }

    public string? FirstWorkerWarning { get; init; }

    /// <summary>
    /// What the CPU per task would allow if this scenario had every core of the machine to itself: cores / CPU per
    /// task. An estimate for an idle machine, where the measured tasks/s depends on everyone else's load.
    /// </summary>
    public double? CpuBoundTasksPerSecond =>
        DatabaseCpuMsPerTask is { } database ? Environment.ProcessorCount * 1000 / (database + (WorkerCpuMsPerTask ?? 0)) : null;

    /// <summary>This scenario's tasks/s over the raw limit (the best pgbench run); null when pgbench did not run.</summary>
    public double? RatioToRawLimit { get; init; }
}
