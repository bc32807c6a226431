using Npgsql;
using NpgsqlTypes;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus.Outbox;

namespace SaasAssistants.Gateway.Webhooks;

/// <summary>
/// Makes an accepted delivery durable in one round trip: the tenant setting, the audit row and its events' outbox rows
/// as one prepared Npgsql batch. PostgreSQL runs the statements of one batch (one Sync) as one implicit transaction,
/// so they commit together or not at all, exactly as the EF unit of work did, without its change tracking, its
/// separate set_config round trips (on open and on BEGIN) and its separate COMMIT (bench/GatewayIntake: four round
/// trips became one). The SQL text is fixed (the events travel as arrays), so each pooled connection prepares it once.
/// </summary>
public sealed class AcceptedWebhookWriter(NpgsqlDataSource dataSource)
{
    private const string SetTenant = "SELECT set_config('app.tenant_id', $1, true)";

    private const string InsertAudit = """
        INSERT INTO webhook_events (id, tenant_id, channel_id, channel_type, status, correlation_id, payload, signature,
                                    signature_verified, received_at, processed_at)
        VALUES ($1, $2, $3, $4, 'accepted', $5, $6, $7, $8, $9, $10)
        """;

    private const string InsertOutbox = """
        INSERT INTO outbox_messages (id, tenant_id, event_type, payload, correlation_id, trace_parent, created_at)
        SELECT e.id, e.tenant_id, e.event_type, e.payload::jsonb, e.correlation_id, e.trace_parent, e.created_at
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
            AS e(id, tenant_id, event_type, payload, correlation_id, trace_parent, created_at)
        """;

    public async Task WriteAsync(AcceptedWebhook audit, IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);

        var setTenant = new NpgsqlBatchCommand(SetTenant);
        setTenant.Parameters.Add(new NpgsqlParameter<string> { TypedValue = audit.TenantId.ToString() });
        batch.BatchCommands.Add(setTenant);

        var insertAudit = new NpgsqlBatchCommand(InsertAudit);
        insertAudit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = audit.Id });
        insertAudit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = audit.TenantId });
        insertAudit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = audit.ChannelId });
        insertAudit.Parameters.Add(new NpgsqlParameter<string> { TypedValue = audit.ChannelType });
        insertAudit.Parameters.Add(Text(audit.CorrelationId));
        insertAudit.Parameters.Add(Text(audit.Payload));
        insertAudit.Parameters.Add(Text(audit.Signature));
        insertAudit.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = audit.SignatureVerified ?? (object)DBNull.Value });
        insertAudit.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = audit.ReceivedAt });
        insertAudit.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = audit.ProcessedAt });
        batch.BatchCommands.Add(insertAudit);

        if (events.Count > 0)
        {
            var rows = events.Select(OutboxExtensions.ToOutboxMessage).ToArray();
            var insertOutbox = new NpgsqlBatchCommand(InsertOutbox);
            insertOutbox.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(row => row.Id)] });
            insertOutbox.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(row => row.TenantId)] });
            insertOutbox.Parameters.Add(TextArray(rows.Select(row => row.EventType)));
            insertOutbox.Parameters.Add(TextArray(rows.Select(row => row.Payload)));
            insertOutbox.Parameters.Add(TextArray(rows.Select(row => row.CorrelationId)));
            insertOutbox.Parameters.Add(TextArray(rows.Select(row => row.TraceParent)));
            insertOutbox.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. rows.Select(row => row.CreatedAt)] });
            batch.BatchCommands.Add(insertOutbox);
        }

        // Prepared once per physical connection; later requests on it skip the parse and plan.
        await batch.PrepareAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = value ?? (object)DBNull.Value };

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() };
}
