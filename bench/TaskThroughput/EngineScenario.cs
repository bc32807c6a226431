using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// The product's engine in N worker processes: enqueue the tasks (timed on its own), start the workers, open the gate,
/// wait until no task is Queued or Running, stop the workers, then read every figure from the tables themselves.
/// </summary>
public static class EngineScenario
{
    private static readonly TimeSpan ProgressPoll = TimeSpan.FromMilliseconds(250);

    // A run that makes no progress this long is stuck, not slow.
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ScenarioResult> RunAsync(BenchDatabase database, int processes, BenchOptions options, CancellationToken cancellationToken)
    {
        var name = $"engine, {processes} worker process{(processes == 1 ? "" : "es")}";
        Console.WriteLine($"{name}: enqueueing {options.Tasks:N0} tasks");
        await database.ResetAsync(cancellationToken);
        var enqueue = await TaskSeeder.EnqueueAsync(database, options.Tasks, cancellationToken);

        Console.WriteLine($"{name}: starting the workers");
        TimeSpan workerCpu, databaseCpu;
        var fleet = await WorkerFleet.StartAsync(processes, WorkerEnvironment(database, options), database.Folder, cancellationToken);
        try
        {
            workerCpu = CpuTime.Of(fleet.Pids);
            databaseCpu = CpuTime.OfTree(database.ServerPid);
            fleet.Open();
            await WaitUntilDrainedAsync(database, fleet, name, cancellationToken);
            workerCpu = CpuTime.Of(fleet.Pids) - workerCpu;
            databaseCpu = CpuTime.OfTree(database.ServerPid) - databaseCpu;
        }
        finally
        {
            await fleet.DisposeAsync();
        }
        var claimToStart = fleet.ClaimToStartMilliseconds.Order().ToArray();

        var result = await MeasureAsync(database, name, options.Tasks, enqueue, cancellationToken);
        return result with
        {
            WorkerCpuMsPerTask = workerCpu.TotalMilliseconds / result.Tasks,
            DatabaseCpuMsPerTask = databaseCpu.TotalMilliseconds / result.Tasks,
            ClaimToStartP50Ms = Percentile(claimToStart, 0.50),
            ClaimToStartP95Ms = Percentile(claimToStart, 0.95),
            ClaimToStartP99Ms = Percentile(claimToStart, 0.99),
            WorkerWarnings = fleet.Output.Warnings,
            FirstWorkerWarning = fleet.Output.FirstWarning,
        };
    }

    private static Dictionary<string, string?> WorkerEnvironment(BenchDatabase database, BenchOptions options)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__saas"] = database.AppConnectionString,
            // No broker: every task is queued and due before the workers start, so the claim loop never waits for a
            // TaskQueued wake-up (a full batch claims again at once, a finished task wakes the loop). A port nobody
            // listens on keeps the engine's consumer retrying quietly instead of a RabbitMQ eating a core here.
            ["ConnectionStrings__messaging"] = $"amqp://guest:guest@127.0.0.1:{PortAvailability.GetFreePort()}",
            ["Secrets__EncryptionKey"] = TestSecrets.EncryptionKey(),
        };
        if (options.Concurrency is { } concurrency)
        {
            environment[$"{TaskEngineOptions.SectionName}__{nameof(TaskEngineOptions.Concurrency)}"] = concurrency.ToString(CultureInfo.InvariantCulture);
        }

        if (options.BatchSize is { } batchSize)
        {
            environment[$"{TaskEngineOptions.SectionName}__{nameof(TaskEngineOptions.BatchSize)}"] = batchSize.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }

    private static async Task WaitUntilDrainedAsync(BenchDatabase database, WorkerFleet fleet, string name, CancellationToken cancellationToken)
    {
        var exited = fleet.AnyExitedAsync();
        var lastProgress = Stopwatch.GetTimestamp();
        var lastReport = Stopwatch.GetTimestamp();
        long remaining = long.MaxValue;
        while (true)
        {
            await Task.WhenAny(exited, Task.Delay(ProgressPoll, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (exited.IsCompleted)
            {
                throw new InvalidOperationException($"{name}: a worker exited with code {await exited} while tasks remained.");
            }

            var left = await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status IN ('Queued', 'Running')", cancellationToken);
            if (left == 0)
            {
                return;
            }

            if (left < remaining)
            {
                remaining = left;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > StallTimeout)
            {
                throw new TimeoutException($"{name}: {remaining:N0} tasks still Queued or Running and none finished for {StallTimeout.TotalSeconds:0} s.");
            }
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(5))
            {
                Console.WriteLine($"{name}: {remaining:N0} tasks to go");
                lastReport = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<ScenarioResult> MeasureAsync(BenchDatabase database, string name, int expected, TimeSpan enqueue, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenOwnerAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM tasks WHERE status = 'Succeeded'),
                   (SELECT extract(epoch FROM max(finished_at) - min(started_at)) FROM tasks),
                   (SELECT count(*) FROM task_attempts),
                   -- task_claim stamps its whole batch with its transaction's now(): one distinct value per claim.
                   (SELECT count(DISTINCT started_at) FROM tasks)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var succeeded = reader.GetInt64(0);
        var seconds = (double)reader.GetDecimal(1);
        var attempts = reader.GetInt64(2);
        var claims = reader.GetInt64(3);

        // The engine's promise (exactly once without crashes) is checked too: a fast engine that runs a task twice is not fast.
        var note = succeeded == expected && attempts == expected ? null : $"expected {expected} tasks with one attempt each: {succeeded} succeeded, {attempts} attempts";
        return new ScenarioResult(ScenarioKind.Engine, name, succeeded, seconds, succeeded / seconds, EnqueueSeconds: enqueue.TotalSeconds, Note: note)
        {
            TasksPerClaim = succeeded / (double)Math.Max(1, claims),
        };
    }
}
