using System.Diagnostics;
using NpgsqlTypes;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// Bulk enqueue: N no-op tasks, Queued and due now, in one binary COPY as the owner (COPY cannot run under row level
/// security). What the API would write row by row, minus the TaskQueued outbox rows the workers do not need: they
/// claim from the table.
/// </summary>
public static class TaskSeeder
{
    public static async Task<TimeSpan> EnqueueAsync(BenchDatabase database, int count, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using (var connection = await database.OpenOwnerAsync(cancellationToken))
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY tasks (id, tenant_id, type, status, payload, scheduled_at, created_at, updated_at, correlation_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(Guid.CreateVersion7(now), NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(database.TenantId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(NoopProcessor.TaskType, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync("Queued", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync("{}", NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync("bench", NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        // Not timed: fresh statistics, so the claim's plan is the one a long-running table has (the partial index).
        await database.ExecuteAsync("ANALYZE tasks", cancellationToken);
        return elapsed;
    }
}
