using System.Globalization;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>The command line: <c>[--tasks N] [--processes 1,2] [--concurrency N] [--batch-size N] [--pgbench-clients 4,16]
/// [--pgbench-seconds S] [--pgbench-tasks N] [--pgbench-script FILE]... [--no-fsync] [--patch-sql FILE]... [--results DIR]</c>.</summary>
public sealed record BenchOptions
{
    public int Tasks { get; init; } = 20_000;

    /// <summary>Worker process counts to measure, one scenario each.</summary>
    public IReadOnlyList<int> Processes { get; init; } = [1, 2];

    /// <summary>Tasks:Concurrency for every worker; null keeps the engine's default.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Tasks:BatchSize for every worker (and the pgbench claim); null keeps the engine's default.</summary>
    public int? BatchSize { get; init; }

    /// <summary>pgbench client counts to try; the best is the raw limit.</summary>
    public IReadOnlyList<int> PgbenchClients { get; init; } = [4, 16];

    /// <summary>Length of each pgbench run; 0 skips pgbench.</summary>
    public int PgbenchSeconds { get; init; } = 10;

    /// <summary>
    /// Queued tasks pgbench starts with; by default as many as the engine got, so both claim from a table of the same
    /// size (the claim's cost depends on it). Must be more than pgbench finishes in its run, or the report says so.
    /// </summary>
    public int? PgbenchTasks { get; init; }

    /// <summary>Further pgbench scripts (e.g. a proposed design's SQL), run like the engine's; never the raw limit.</summary>
    public IReadOnlyList<string> PgbenchScripts { get; init; } = [];

    /// <summary>PostgreSQL as the AppHost runs it (fsync on) unless set: then as the tests run it (no fsync).</summary>
    public bool NoFsync { get; init; }

    /// <summary>SQL files run as the owner after the migrations: to measure a proposed database change before it is made.</summary>
    public IReadOnlyList<string> PatchSql { get; init; } = [];

    public string? ResultsDirectory { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--tasks" => options with { Tasks = Positive(name, Value()) },
                "--processes" => options with { Processes = List(name, Value()) },
                "--concurrency" => options with { Concurrency = Positive(name, Value()) },
                "--batch-size" => options with { BatchSize = Positive(name, Value()) },
                "--pgbench-clients" => options with { PgbenchClients = List(name, Value()) },
                "--pgbench-seconds" => options with { PgbenchSeconds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--pgbench-tasks" => options with { PgbenchTasks = Positive(name, Value()) },
                "--pgbench-script" => options with { PgbenchScripts = [.. options.PgbenchScripts, Path.GetFullPath(Value())] },
                "--no-fsync" => options with { NoFsync = true },
                "--patch-sql" => options with { PatchSql = [.. options.PatchSql, Path.GetFullPath(Value())] },
                "--results" => options with { ResultsDirectory = Value() },
                _ => throw new ArgumentException($"Unknown option {name}. See bench/README.md."),
            };
        }
        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");

    private static int[] List(string name, string value) => value.Split(',').Select(part => Positive(name, part)).ToArray();
}
