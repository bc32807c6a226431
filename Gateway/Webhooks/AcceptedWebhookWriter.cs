using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SaasAssistants.Contracts.Events;
using OutboxMessage = SaasAssistants.Database.Entities.OutboxMessage;
using SaasAssistants.EventBus.Outbox;

namespace SaasAssistants.Gateway.Webhooks;

/// <summary>
/// Makes accepted deliveries durable with group commit: the deliveries that arrive while a write is in flight wait in a
/// queue, and the next write takes all of them (up to <see cref="IntakeOptions.MaxBatch"/>) in one prepared Npgsql batch,
/// one round trip and one commit. Per tenant in the batch: the tenant setting, then its audit rows and its outbox rows
/// (row level security checks every row against the setting made just before it). PostgreSQL runs one batch as one
/// implicit transaction, so a delivery's rows commit together or not at all, and each caller is answered only after the
/// commit: the 200 still means durable. A lone delivery is written at once (no waiting for company); under load, one
/// commit, one fsync and one NOTIFY of the outbox trigger serve many deliveries, where a transaction each made PostgreSQL
/// serialise on the notify queue at every commit (bench/GatewayIntake has the figures).
/// </summary>
public sealed class AcceptedWebhookWriter(NpgsqlDataSource dataSource, IOptions<IntakeOptions> options, IntakeMetrics metrics,
    ILogger<AcceptedWebhookWriter> logger)
    : BackgroundService
{
    private const string SetTenant = "SELECT set_config('app.tenant_id', $1, true)";

    private const string InsertAudits = """
        INSERT INTO webhook_events (id, tenant_id, channel_id, channel_type, status, correlation_id, payload, signature,
                                    signature_verified, received_at, processed_at)
        SELECT w.id, w.tenant_id, w.channel_id, w.channel_type, 'accepted', w.correlation_id, w.payload, w.signature,
               w.signature_verified, w.received_at, w.processed_at
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[],
                    $9::timestamptz[], $10::timestamptz[])
            AS w(id, tenant_id, channel_id, channel_type, correlation_id, payload, signature, signature_verified, received_at, processed_at)
        """;

    private const string InsertOutbox = """
        INSERT INTO outbox_messages (id, tenant_id, event_type, payload, correlation_id, trace_parent, created_at)
        SELECT e.id, e.tenant_id, e.event_type, e.payload::jsonb, e.correlation_id, e.trace_parent, e.created_at
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
            AS e(id, tenant_id, event_type, payload, correlation_id, trace_parent, created_at)
        """;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false });

    /// <summary>Completes once the audit row and the events' outbox rows are committed; throws if they are not.</summary>
    public Task WriteAsync(AcceptedWebhook audit, IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken)
    {
        // Serialised here, on the request's thread, so the writers only write.
        var pending = new PendingWrite(audit, [.. events.Select(OutboxExtensions.ToOutboxMessage)]);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The Gateway is stopping and accepts no more deliveries.");
        }

        metrics.Queued();

        // A caller that gives up (the sender hung up) leaves its delivery to be committed anyway: Meta resends what got
        // no 200, and the message's wamid makes the second copy a duplicate downstream.
        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    // The loops end when StopAsync closes the queue and they have written what it held, not at the stopping token.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Writers)).Select(_ => WriteLoopAsync()));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Whatever was queued before the stop is still written: its senders wait for their answer.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(options.Value.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < options.Value.MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                metrics.Taken(batch.Count);
                await WriteBatchAsync(batch);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        try
        {
            await ExecuteAsync(batch);
            batch.ForEach(pending => pending.Committed.TrySetResult());
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One delivery's rows (say, of a channel deleted a moment ago) must not fail the others: write each alone.
            logger.LogDebug(ex, "A batch of {Count} accepted deliveries failed; writing them one by one", batch.Count);
        }
        catch (Exception ex)
        {
            batch[0].Committed.TrySetException(ex);
            return;
        }

        foreach (var pending in batch)
        {
            try
            {
                await ExecuteAsync([pending]);
                pending.Committed.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Committed.TrySetException(ex);
            }
        }
    }

    private async Task ExecuteAsync(List<PendingWrite> batch)
    {
        // Not the stopping token: a write that began is finished, its senders are waiting for the answer.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlBatch(connection);
        foreach (var tenant in batch.GroupBy(pending => pending.Audit.TenantId))
        {
            AddTenantCommands(command, tenant.Key, [.. tenant]);
        }

        // Prepared once per physical connection and SQL text; later batches on it skip the parse and plan.
        await command.PrepareAsync();
        await command.ExecuteNonQueryAsync();
    }

    private static void AddTenantCommands(NpgsqlBatch batch, Guid tenantId, PendingWrite[] writes)
    {
        var setTenant = new NpgsqlBatchCommand(SetTenant);
        setTenant.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId.ToString() });
        batch.BatchCommands.Add(setTenant);

        var audits = writes.Select(write => write.Audit).ToArray();
        var insertAudits = new NpgsqlBatchCommand(InsertAudits);
        insertAudits.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. audits.Select(audit => audit.Id)] });
        insertAudits.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. audits.Select(audit => audit.TenantId)] });
        insertAudits.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. audits.Select(audit => audit.ChannelId)] });
        insertAudits.Parameters.Add(TextArray(audits.Select(audit => audit.ChannelType)));
        insertAudits.Parameters.Add(TextArray(audits.Select(audit => audit.CorrelationId)));
        insertAudits.Parameters.Add(TextArray(audits.Select(audit => audit.Payload)));
        insertAudits.Parameters.Add(TextArray(audits.Select(audit => audit.Signature)));
        insertAudits.Parameters.Add(new NpgsqlParameter<bool?[]> { TypedValue = [.. audits.Select(audit => audit.SignatureVerified)] });
        insertAudits.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. audits.Select(audit => audit.ReceivedAt)] });
        insertAudits.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. audits.Select(audit => audit.ProcessedAt)] });
        batch.BatchCommands.Add(insertAudits);

        var rows = writes.SelectMany(write => write.Events).ToArray();
        if (rows.Length > 0)
        {
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
    }

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.ToArray() };

    private sealed record PendingWrite(AcceptedWebhook Audit, OutboxMessage[] Events)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
