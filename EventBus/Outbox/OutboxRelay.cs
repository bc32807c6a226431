using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Notifications;

namespace SaasAssistants.EventBus.Outbox;

/// <summary>
/// Publishes outbox rows to the event exchange. A dedicated connection LISTENs for the insert trigger's notification, so
/// an event leaves within milliseconds of its commit; a poll is the safety net. Each batch is leased with
/// <c>outbox_lease</c> (SKIP LOCKED), so any number of relays (one per service instance) can run side by side, published
/// with broker confirms, then marked published. On failure the rows are released and wait: while RabbitMQ is down
/// nothing is lost, and the relay backs off and keeps trying without ever stopping the host. Delivery is at least once
/// (a crash between confirm and mark republishes): MessageId is the outbox id, for consumers to deduplicate. Each
/// message is published in the trace of the work that wrote it (the row's traceparent), which the consumer continues.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    RabbitMQConnection rabbit,
    IOptions<OutboxRelayOptions> options,
    OutboxMetrics metrics,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const string NotificationChannel = "outbox_messages";

    private readonly OutboxRelayOptions _options = options.Value;
    // One pending wake-up is enough: the relay drains everything that is due whenever it wakes.
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private IChannel? _channel;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Rows committed while nobody was listening are due as soon as LISTEN is (re-)established.
        var listening = new PostgresListener(dataSource, NotificationChannel, logger).RunAsync(
            _ => _wakeUp.Writer.TryWrite(true), () => _wakeUp.Writer.TryWrite(true), $"polling every {_options.PollInterval}", stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var relayed = await RelayBatchAsync(stoppingToken);
                failures = 0;
                if (relayed < _options.BatchSize)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff.Reconnect(failures);
                // The stack trace once per outage; afterwards one line per attempt.
                logger.LogWarning(failures == 1 ? ex : null, "Outbox relay could not publish ({Error}); attempt {Attempt}, retrying in {Delay}",
                    ex.Message, failures, delay);
                await CloseChannelAsync();
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await listening;
        await CloseChannelAsync();
    }

    /// <summary>Leases one batch and publishes it; returns how many rows the lease returned.</summary>
    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var batch = await LeaseAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        Task[] publishes = [];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var channel = await GetChannelAsync(cancellationToken);
            timeout.CancelAfter(_options.PublishTimeout);
            publishes = batch.Select(message => PublishAsync(channel, message, timeout.Token)).ToArray();
            // Each publish completes when the broker confirms it, so the batch is in flight at once.
            await Task.WhenAll(publishes);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await SettleFailedBatchAsync(batch, publishes, $"No broker confirm within {_options.PublishTimeout}");
            throw new TimeoutException($"RabbitMQ did not confirm the batch within {_options.PublishTimeout}.", ex);
        }
        catch (Exception ex)
        {
            await SettleFailedBatchAsync(batch, publishes, ex.Message);
            throw;
        }

        await MarkPublishedAsync(batch.Select(m => m.Id).ToArray(), cancellationToken);
        logger.LogDebug("Published {Count} outbox messages", batch.Count);
        return batch.Count;
    }

    /// <summary>Keeps what the broker confirmed and puts the rest back for a later attempt (WhenAll let every publish finish).</summary>
    private async Task SettleFailedBatchAsync(List<LeasedOutboxMessage> batch, Task[] publishes, string error)
    {
        var confirmed = batch.Where((_, i) => i < publishes.Length && publishes[i].IsCompletedSuccessfully).Select(m => m.Id).ToArray();
        var failed = batch.Select(m => m.Id).Except(confirmed).ToArray();
        // Not the stopping token: rows released on shutdown go to another instance now rather than when the lease ends.
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (confirmed.Length > 0)
        {
            await MarkPublishedAsync(confirmed, cleanup.Token);
        }

        await ReleaseAsync(failed, error, cleanup.Token);
        metrics.RecordFailed(failed.Length);
    }

    private static async Task PublishAsync(IChannel channel, LeasedOutboxMessage message, CancellationToken cancellationToken)
    {
        // A child of the writer's activity (the webhook's request, the handler that replied), however long ago that was.
        using var activity = EventBusTelemetry.ActivitySource.StartActivity(
            $"{message.EventType} publish", ActivityKind.Producer, EventBusTelemetry.ParseParent(message.TraceParent));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", EventBusNames.Exchange);
        activity?.SetTag("messaging.message.id", message.Id.ToString());

        var headers = new Dictionary<string, object?> { [EventBusNames.TenantHeader] = message.TenantId.ToString() };
        // Nobody listening to our spans (no OpenTelemetry): pass the writer's context on as it is.
        if ((activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : message.TraceParent) is { } traceParent)
        {
            headers[EventBusTelemetry.TraceParentHeader] = traceParent;
        }

        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = message.Id.ToString(),
            CorrelationId = message.CorrelationId,
            ContentType = "application/json",
            Type = message.EventType,
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Headers = headers,
        };
        await channel.BasicPublishAsync(EventBusNames.Exchange, message.EventType, mandatory: false, properties, Encoding.UTF8.GetBytes(message.Payload), cancellationToken);
    }

    private async Task<List<LeasedOutboxMessage>> LeaseAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, tenant_id, event_type, payload::text, correlation_id, trace_parent FROM outbox_lease($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = _options.BatchSize });
        command.Parameters.Add(new NpgsqlParameter { Value = _options.Lease });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = new List<LeasedOutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            batch.Add(new LeasedOutboxMessage(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return batch;
    }

    private async Task MarkPublishedAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT outbox_mark_published($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        await command.ExecuteNonQueryAsync(cancellationToken);
        metrics.RecordPublished(ids.Length);
    }

    private async Task ReleaseAsync(Guid[] ids, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT outbox_release($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = error.Length > 1000 ? error[..1000] : error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await CloseChannelAsync();
        var connection = await rabbit.GetAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await EventBusTopology.DeclareAsync(channel, cancellationToken);
        _channel = channel;
        return channel;
    }

    private async Task CloseChannelAsync()
    {
        if (_channel is not { } channel)
        {
            return;
        }

        _channel = null;
        try
        {
            await channel.DisposeAsync();
        }
        catch (Exception ex)
        {
            // A channel of a dropped connection may fail to close; it is gone either way.
            logger.LogDebug(ex, "Closing the outbox channel failed");
        }
    }

    /// <summary>Waits for a notification, or at most one poll interval.</summary>
    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        poll.CancelAfter(_options.PollInterval);
        try
        {
            await _wakeUp.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
