using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>Prints a run as a table and writes it as JSON (bench/results/, git-ignored).</summary>
public static class ResultsReport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static void Print(BenchRun run, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"Task engine throughput, {run.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {run.ProcessorCount} cores, load average {run.LoadBefore} before, {run.LoadAfter} after"));
        output.WriteLine(Invariant($"PostgreSQL fsync {(run.Fsync ? "on (as the AppHost runs it)" : "off (as the tests run it)")}; each worker: Tasks:Concurrency {run.Concurrency}, Tasks:BatchSize {run.BatchSize}"));
        if (run.PatchSql.Count > 0)
        {
            output.WriteLine($"NOT the product's schema as is: patched with {string.Join(", ", run.PatchSql)}");
        }

        output.WriteLine();
        string[] header = ["scenario", "tasks", "seconds", "tasks/s", "claim-to-start p50 ms", "p95 ms", "p99 ms", "vs pgbench",
            "worker CPU ms/task", "PostgreSQL CPU ms/task", "CPU-bound tasks/s"];
        var rows = run.Scenarios.Select(s => new[]
        {
            s.Scenario, Invariant($"{s.Tasks:N0}"), Invariant($"{s.Seconds:0.00}"), Invariant($"{s.TasksPerSecond:N0}"),
            Number(s.ClaimToStartP50Ms), Number(s.ClaimToStartP95Ms), Number(s.ClaimToStartP99Ms),
            s.RatioToRawLimit is { } ratio ? Invariant($"{ratio:P0}") : "-",
            Number(s.WorkerCpuMsPerTask, "0.00"), Number(s.DatabaseCpuMsPerTask, "0.00"), s.CpuBoundTasksPerSecond is { } bound ? Invariant($"{bound:N0}") : "-",
        }).ToList();
        var widths = header.Select((title, column) => rows.Select(row => row[column].Length).Append(title.Length).Max()).ToArray();
        output.WriteLine(Line(header, widths));
        output.WriteLine(string.Join("-+-", widths.Select(width => new string('-', width))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }

        output.WriteLine();
        foreach (var scenario in run.Scenarios)
        {
            if (scenario.EnqueueSeconds is { } enqueue)
            {
                output.WriteLine(Invariant($"{scenario.Scenario}: enqueue (one COPY) {scenario.Tasks:N0} tasks in {enqueue:0.00} s = {scenario.Tasks / enqueue:N0} tasks/s"));
            }

            if (scenario.TasksPerClaim is { } perClaim)
            {
                output.WriteLine(Invariant($"{scenario.Scenario}: {perClaim:0.0} tasks per claim on average"));
            }

            if (scenario.WorkerWarnings > 0)
            {
                output.WriteLine(Invariant($"{scenario.Scenario}: the workers logged {scenario.WorkerWarnings} warnings or errors, the first: {scenario.FirstWorkerWarning}"));
            }

            if (scenario.Note is { } note)
            {
                output.WriteLine($"{scenario.Scenario}: NOTE {note}");
            }
        }
        output.WriteLine("claim-to-start: the engine's saas.tasks.claim_to_start histogram, from the claim returning to the processor starting.");
        output.WriteLine(Invariant($"CPU-bound tasks/s: {run.ProcessorCount} cores / (worker + PostgreSQL CPU per task), what this CPU per task allows on an otherwise idle machine."));
        output.WriteLine("floor (issue 3): 1,000 no-op tasks/s.");
    }

    public static async Task<string> WriteAsync(BenchRun run, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Invariant($"task-throughput-{run.StartedAt:yyyyMMdd-HHmmss}.json"));
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run, Json), cancellationToken);
        return path;
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(" | ", cells.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column])));

    private static string Number(double? value, string format = "0.0") => value is { } number ? number.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
