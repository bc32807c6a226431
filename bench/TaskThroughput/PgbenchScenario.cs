using System.Globalization;
using System.Text.RegularExpressions;
using SaasAssistants.Testing.Processes;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// The raw limit of the same PostgreSQL: <see cref="PgbenchScript"/> (or a script given on the command line) run by
/// pgbench (<c>-c C -j 2 -T S -n</c>) as the services' role, on a table pre-filled with queued tasks. One pgbench
/// transaction is one claimed batch, so tasks/s = transactions × batch / S; checked against the Succeeded rows it left.
/// Scripts get <c>:tenant</c> and <c>:batch</c> (-D) and pgbench's own <c>:client_id</c>.
/// </summary>
public static partial class PgbenchScenario
{
    public static async Task<ScenarioResult> RunAsync(
        BenchDatabase database, ScenarioKind kind, string scriptPath, int clients, int batch, BenchOptions options, CancellationToken cancellationToken)
    {
        var name = kind == ScenarioKind.RawLimit ? $"pgbench, {clients} clients" : $"pgbench {Path.GetFileName(scriptPath)}, {clients} clients";
        var queued = options.PgbenchTasks ?? options.Tasks;
        Console.WriteLine($"{name}: enqueueing {queued:N0} tasks");
        await database.ResetAsync(cancellationToken);
        await TaskSeeder.EnqueueAsync(database, queued, cancellationToken);

        Console.WriteLine($"{name}: running for {options.PgbenchSeconds} s");
        var output = new List<string>();
        var spec = new ProcessSpec(Path.Combine(PostgresServer.BinDirectory, "pgbench"),
        [
            "-h", "127.0.0.1", "-p", Text(database.Port), "-U", BenchDatabase.AppRole, "-d", BenchDatabase.DatabaseName, "-n", "-f", scriptPath,
            "-c", Text(clients), "-j", Text(Math.Min(2, clients)), "-T", Text(options.PgbenchSeconds),
            "-D", $"tenant={database.TenantId}", "-D", $"batch={batch}",
        ])
        {
            // The password stays out of the command line; the tenant is set once per connection, like a pooled one.
            Environment = new Dictionary<string, string?> { ["PGPASSWORD"] = database.AppRolePassword, ["PGOPTIONS"] = $"-c app.tenant_id={database.TenantId}" },
        };
        var databaseCpu = CpuTime.OfTree(database.ServerPid);
        var exitCode = await ManagedProcess.RunAsync(spec, line => { lock (output) { output.Add(line.Text); } }, cancellationToken);
        databaseCpu = CpuTime.OfTree(database.ServerPid) - databaseCpu;
        var text = string.Join(Environment.NewLine, output);
        if (exitCode != 0 || Transactions().Match(text) is not { Success: true } match)
        {
            throw new InvalidOperationException($"pgbench failed (exit code {exitCode}):{Environment.NewLine}{text}");
        }

        var claimed = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * batch;
        var succeeded = await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'Succeeded'", cancellationToken);
        var left = await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'Queued'", cancellationToken);
        // A queue that ran dry means claims came back short and transactions × batch overstates the work; the last
        // transactions of an aborted run may leave a few tasks claimed and not finished.
        var note = left == 0 ? $"the queue ran dry ({succeeded} succeeded): raise --pgbench-tasks, this figure is too high"
            : Math.Abs(succeeded - claimed) > clients * batch ? $"{succeeded} succeeded, not {claimed}" : null;
        return new ScenarioResult(kind, name, succeeded, options.PgbenchSeconds, claimed / (double)options.PgbenchSeconds, Note: note)
        {
            DatabaseCpuMsPerTask = databaseCpu.TotalMilliseconds / Math.Max(1, succeeded),
        };
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Transactions();
}
