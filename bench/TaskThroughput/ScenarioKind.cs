namespace SaasAssistants.Bench.TaskThroughput;

public enum ScenarioKind
{
    /// <summary>The product's engine in worker processes.</summary>
    Engine,

    /// <summary>pgbench running the engine's own SQL (<see cref="PgbenchScript"/>): the raw limit.</summary>
    RawLimit,

    /// <summary>pgbench running a script given with --pgbench-script, e.g. a proposed design's SQL: for comparison only.</summary>
    ProposedSql,
}
