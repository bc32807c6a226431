using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>One run: a fresh PostgreSQL, the engine with each worker process count, then pgbench on the same server.</summary>
public static class Benchmark
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage.Read();
        var engineDefaults = new TaskEngineOptions();
        var batch = options.BatchSize ?? engineDefaults.BatchSize;
        var scenarios = new List<ScenarioResult>();

        Console.WriteLine($"starting PostgreSQL (load average {loadBefore})");
        await using (var database = await BenchDatabase.StartAsync(durable: !options.NoFsync, cancellationToken))
        {
            foreach (var patch in options.PatchSql)
            {
                Console.WriteLine($"applying {patch}");
                await database.ExecuteAsync(await File.ReadAllTextAsync(patch, cancellationToken), cancellationToken);
            }
            foreach (var processes in options.Processes)
            {
                scenarios.Add(await EngineScenario.RunAsync(database, processes, options, cancellationToken));
            }

            if (options.PgbenchSeconds > 0)
            {
                var engineSql = Path.Combine(database.Folder, "engine-claim-and-complete.sql");
                await File.WriteAllTextAsync(engineSql, PgbenchScript.Build(batch), cancellationToken);
                var scripts = options.PgbenchScripts.Select(path => (ScenarioKind.ProposedSql, path)).Prepend((ScenarioKind.RawLimit, engineSql));
                foreach (var (kind, script) in scripts)
                {
                    foreach (var clients in options.PgbenchClients)
                    {
                        scenarios.Add(await PgbenchScenario.RunAsync(database, kind, script, clients, batch, options, cancellationToken));
                    }
                }
            }
        }

        double? rawLimit = options.PgbenchSeconds > 0 ? scenarios.Where(s => s.Kind == ScenarioKind.RawLimit).Max(s => s.TasksPerSecond) : null;
        var run = new BenchRun(startedAt, Environment.ProcessorCount, loadBefore, LoadAverage.Read(), !options.NoFsync,
            options.Concurrency ?? engineDefaults.Concurrency, batch, options.PatchSql.Select(path => Path.GetFileName(path)).ToList(), rawLimit,
            scenarios.Select(s => s with { RatioToRawLimit = s.TasksPerSecond / rawLimit }).ToList());

        ResultsReport.Print(run, Console.Out);
        var path = await ResultsReport.WriteAsync(run, options.ResultsDirectory ?? DefaultResultsDirectory(), cancellationToken);
        Console.WriteLine($"results: {path}");
        // Failing when the engine lost or repeated a task: a benchmark run is also a check of exactly once.
        return run.Scenarios.Any(s => s.Kind == ScenarioKind.Engine && s.Note is not null) ? 1 : 0;
    }

    /// <summary>bench/results of the repository this program was built from (found by walking up to the solution).</summary>
    private static string DefaultResultsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SaasAssistants.sln")))
            {
                return Path.Combine(directory.FullName, "bench", "results");
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "results");
    }
}
