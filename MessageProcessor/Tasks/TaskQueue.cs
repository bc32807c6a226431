using Npgsql;
using NpgsqlTypes;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// The engine's cross-tenant doors (SECURITY DEFINER functions of migrations 0002 and 0003): find and lease work before
/// any tenant is known. Everything after that goes through the entity, in the task's tenant scope.
/// </summary>
public sealed class TaskQueue(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ClaimedTask>> ClaimAsync(string worker, int batch, TimeSpan lease, string[]? types, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, tenant_id, type, payload::text, attempt_count, max_attempts, correlation_id FROM task_claim($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = batch });
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)types ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<ClaimedTask>();
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedTask(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return claimed;
    }

    /// <summary>Extends the worker's leases; the result holds only the tasks it still owns, each with whether a cancel was asked.</summary>
    public async Task<Dictionary<Guid, bool>> HeartbeatAsync(string worker, Guid[] ids, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, cancel_requested FROM task_heartbeat($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owned = new Dictionary<Guid, bool>(ids.Length);
        while (await reader.ReadAsync(cancellationToken))
        {
            owned[reader.GetGuid(0)] = reader.GetBoolean(1);
        }

        return owned;
    }

    public async Task<IReadOnlyList<ExpiredLease>> FindExpiredAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, tenant_id, type, locked_by, attempt_count FROM task_rescue_expired($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var expired = new List<ExpiredLease>();
        while (await reader.ReadAsync(cancellationToken))
        {
            expired.Add(new ExpiredLease(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4)));
        }

        return expired;
    }

    /// <summary>Due tasks waiting for a worker, by type (all tenants).</summary>
    public async Task<IReadOnlyList<(string Type, long Depth)>> DepthByTypeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT type, depth FROM task_queue_depth()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var depths = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            depths.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return depths;
    }
}
