using System.Globalization;
using System.Text.RegularExpressions;
using SaasAssistants.Testing.Processes;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>
/// The raw limit the issue compares intake with: pgbench (<c>-c N -j 2 -T S -n</c>, as the services' role) committing
/// one single-row INSERT per transaction (a uuid, a timestamp and a delivery-sized text) into a plain table with only
/// its primary key, from as many clients as the load has connections. Latencies come from pgbench's per-transaction
/// log (<c>-l</c>), so both sides report the same percentiles.
/// </summary>
public static partial class RawInserts
{
    public static async Task<RawInsertResult> RunAsync(BenchSystem system, int clients, int seconds, CancellationToken cancellationToken)
    {
        await system.ExecuteAsync($"""
            CREATE TABLE IF NOT EXISTS bench_inserts (id uuid PRIMARY KEY, received_at timestamptz NOT NULL, payload text NOT NULL);
            GRANT INSERT ON bench_inserts TO {BenchSystem.AppRole};
            """, cancellationToken);
        var folder = Path.Combine(system.Folder, "pgbench");
        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, "insert.sql");
        // About the size of the deliveries the load posts.
        var payload = new string('x', 560);
        await File.WriteAllTextAsync(script, $"INSERT INTO bench_inserts (id, received_at, payload) VALUES (gen_random_uuid(), now(), '{payload}');\n", cancellationToken);

        var output = new List<string>();
        var spec = new ProcessSpec(Path.Combine(PostgresServer.BinDirectory, "pgbench"),
        [
            "-h", "127.0.0.1", "-p", Text(system.Postgres.Port), "-U", BenchSystem.AppRole, "-d", BenchSystem.DatabaseName, "-n", "-f", script,
            "-c", Text(clients), "-j", Text(Math.Min(2, clients)), "-T", Text(seconds), "-l", "--log-prefix", Path.Combine(folder, "log"),
        ])
        {
            Environment = new Dictionary<string, string?> { ["PGPASSWORD"] = system.AppRolePassword },
            WorkingDirectory = folder,
        };
        var exitCode = await ManagedProcess.RunAsync(spec, line =>
        {
            lock (output)
            {
                output.Add(line.Text);
            }
        }, cancellationToken);
        var text = string.Join(Environment.NewLine, output);
        if (exitCode != 0 || Transactions().Match(text) is not { Success: true } match)
        {
            throw new InvalidOperationException($"pgbench failed (exit code {exitCode}):{Environment.NewLine}{text}");
        }

        // client_id transaction_no latency_us script_no epoch epoch_us
        var latencies = Directory.EnumerateFiles(folder, "log.*")
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length >= 3)
            .Select(fields => long.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0)
            .ToList();
        var transactions = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return new RawInsertResult(clients, transactions, seconds, transactions / (double)seconds, Latencies.Of(latencies));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Transactions();
}

public sealed record RawInsertResult(int Clients, long Transactions, int Seconds, double PerSecond, Latencies Latency);
