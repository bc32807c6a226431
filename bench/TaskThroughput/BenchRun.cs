namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>Everything one run measured, with what it ran on: what the table shows and the JSON file holds.</summary>
public sealed record BenchRun(
    DateTimeOffset StartedAt,
    int ProcessorCount,
    LoadAverage LoadBefore,
    LoadAverage LoadAfter,
    bool Fsync,
    int Concurrency,
    int BatchSize,
    IReadOnlyList<string> PatchSql,
    double? RawLimitTasksPerSecond,
    IReadOnlyList<ScenarioResult> Scenarios);
