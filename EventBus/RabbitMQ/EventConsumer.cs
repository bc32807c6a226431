using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.EventBus;

internal sealed record EventConsumerOptions(string QueueName, EventQueueKind Kind, ushort Prefetch)
{
    /// <summary>Tries of the handler per delivery before the delivery is requeued (first time) or dead-lettered.</summary>
    public int HandlerAttempts { get; init; } = 6;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(8);
}

/// <summary>
/// Consumes one event type from one queue for as long as the host runs: waits for the broker, declares what it
/// needs, hands each message to a freshly scoped handler, and settles it (ack / retry once / dead-letter).
/// </summary>
internal sealed class EventConsumer<TEvent, THandler>(
    RabbitMQConnection connection,
    IServiceScopeFactory scopeFactory,
    ILogger<EventConsumer<TEvent, THandler>> logger,
    EventConsumerOptions options) : BackgroundService
    where TEvent : IntegrationEvent
    where THandler : class, IIntegrationEventHandler<TEvent>
{
    private static readonly string RoutingKey = typeof(TEvent).Name;
    private static readonly TimeSpan RecoveryPollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan InFlightDrainTimeout = TimeSpan.FromSeconds(10);

    // Deliveries on one channel are dispatched one at a time; this only lets shutdown wait for the one in progress.
    private readonly SemaphoreSlim _inFlight = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeUntilChannelLostAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Never let a broker problem stop the host: the service keeps serving HTTP and consumes again later.
                logger.LogWarning(ex, "Consumer of {EventName} on queue {Queue} failed; restarting", RoutingKey, options.QueueName);
            }

            try
            {
                await Task.Delay(Backoff.Reconnect(++failures), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Opens a channel, declares the topology and consumes until the channel is lost: the connection dropped (the
    /// channel is then re-created here once automatic recovery has reconnected), the broker closed the channel (a
    /// consumer timeout) or cancelled the consumer (queue deleted). Declaring on every open keeps the topology exact.
    /// </summary>
    private async Task ConsumeUntilChannelLostAsync(CancellationToken stoppingToken)
    {
        var rabbit = await connection.GetAsync(stoppingToken);
        while (!rabbit.IsOpen)
        {
            // Recovering: channels cannot be opened until the library has reconnected.
            await Task.Delay(RecoveryPollInterval, stoppingToken);
        }

        await using var channel = await rabbit.CreateChannelAsync(cancellationToken: stoppingToken);
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) => Signal(lost, args.ReplyText);

        await EventBusTopology.DeclareAsync(channel, stoppingToken);
        var queue = await EventBusTopology.DeclareQueueAsync(channel, options.QueueName, options.Kind, RoutingKey, stoppingToken);
        await channel.BasicQosAsync(prefetchSize: 0, options.Prefetch, global: false, stoppingToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, delivery, stoppingToken);
        consumer.UnregisteredAsync += (_, _) => Signal(lost, "consumer cancelled");
        var consumerTag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Consuming {EventName} from queue {Queue}", RoutingKey, queue);

        try
        {
            var reason = await lost.Task.WaitAsync(stoppingToken);
            logger.LogWarning("Stopped consuming from queue {Queue} ({Reason}); reopening", options.QueueName, reason);
        }
        finally
        {
            await StopConsumingAsync(channel, consumerTag);
        }
    }

    private static Task Signal(TaskCompletionSource<string> lost, string reason)
    {
        lost.TrySetResult(reason);
        return Task.CompletedTask;
    }

    private async Task StopConsumingAsync(IChannel channel, string consumerTag)
    {
        try
        {
            if (channel.IsOpen)
            {
                // No new deliveries; the ones prefetched but not started go back to the queue when the channel closes.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await channel.BasicCancelAsync(consumerTag, noWait: false, timeout.Token);
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Cancelling the consumer on queue {Queue} failed", options.QueueName);
        }

        // The handler in progress sees the stopping token; give it the chance to settle its message.
        if (await _inFlight.WaitAsync(InFlightDrainTimeout))
        {
            _inFlight.Release();
        }

        try
        {
            // Close even a channel that is already closed: that is what makes automatic recovery forget it,
            // instead of reopening an orphan channel after the next reconnect.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await channel.CloseAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Closing the channel of queue {Queue} failed", options.QueueName);
        }
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        await _inFlight.WaitAsync(CancellationToken.None);
        try
        {
            await ProcessAsync(channel, delivery, stoppingToken);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task ProcessAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        // The publisher's trace context (ultimately the request that caused the event) makes this delivery part of
        // that trace, and everything the handler writes to the outbox carries it on.
        var headers = delivery.BasicProperties.Headers;
        using var activity = EventBusTelemetry.ActivitySource.StartActivity(
            $"{RoutingKey} process",
            ActivityKind.Consumer,
            EventBusTelemetry.ParseParent(
                EventBusTelemetry.ReadHeader(headers, EventBusTelemetry.TraceParentHeader),
                EventBusTelemetry.ReadHeader(headers, EventBusTelemetry.TraceStateHeader)));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", options.QueueName);
        activity?.SetTag("messaging.message.id", delivery.BasicProperties.MessageId);

        // The publisher's correlation id (from the request that caused the event) keeps the whole story under one id.
        var correlationId = CorrelationId.AcceptOrCreate(delivery.BasicProperties.CorrelationId);
        CorrelationContext.Current = correlationId;
        Activity.Current?.SetTag(CorrelationContext.ActivityTagName, correlationId);

        using var scope = logger.BeginScope(new KeyValuePair<string, object>[]
        {
            new(CorrelationContext.LogPropertyName, correlationId),
            new("EventName", RoutingKey),
            new("Queue", options.QueueName),
        });

        TEvent? @event;
        string? malformed = null;
        try
        {
            @event = JsonSerializer.Deserialize<TEvent>(delivery.Body.Span, ContractJson.Options);
        }
        catch (JsonException ex)
        {
            @event = null;
            malformed = ex.Message;
        }

        if (@event is null)
        {
            // Never the payload itself in the log: it may hold customer messages.
            logger.LogError("Malformed {EventName} message {MessageId} rejected to the dead-letter queue: {Error}",
                RoutingKey, delivery.BasicProperties.MessageId, malformed ?? "the payload is null");
            await SettleAsync(channel, delivery, Settlement.DeadLetter);
            return;
        }

        using var tenantScope = logger.BeginScope(new KeyValuePair<string, object>[] { new("TenantId", @event.TenantId) });
        try
        {
            await HandleWithRetriesAsync(@event, stoppingToken);
            await SettleAsync(channel, delivery, Settlement.Ack);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not the message's fault: hand it back for another instance or the next start.
            await SettleAsync(channel, delivery, Settlement.Requeue);
        }
        catch (Exception ex)
        {
            var settlement = delivery.Redelivered ? Settlement.DeadLetter : Settlement.Requeue;
            logger.LogError(ex, "Handler {Handler} failed for {EventName} {IntegrationEventId}; {Outcome}",
                typeof(THandler).Name, RoutingKey, @event.EventId,
                settlement == Settlement.Requeue ? "requeued for one more attempt" : "rejected to the dead-letter queue");
            await SettleAsync(channel, delivery, settlement);
        }
    }

    /// <summary>
    /// Runs the handler, retrying in place with backoff (about 15 s in all) before the failure counts, when the failure
    /// is an outage (<see cref="IsTransient"/>): a short database outage then costs a delay, not a dead letter. Each try gets a fresh scope, so nothing of a
    /// failed try's DbContext leaks into the next.
    /// </summary>
    private async Task HandleWithRetriesAsync(TEvent @event, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var serviceScope = scopeFactory.CreateAsyncScope();
                await serviceScope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(@event, stoppingToken);
                return;
            }
            catch (Exception ex) when (attempt < options.HandlerAttempts && IsTransient(ex))
            {
                var delay = Backoff.Delay(attempt, options.RetryBaseDelay, options.RetryMaxDelay);
                logger.LogWarning(ex, "Handler {Handler} failed for {EventName} {IntegrationEventId} (try {Attempt} of {Attempts}); retrying in {Delay} ms",
                    typeof(THandler).Name, RoutingKey, @event.EventId, attempt, options.HandlerAttempts, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    /// <summary>An outage worth waiting out (the database or a server unreachable, a timeout); a bad message is not.</summary>
    private static bool IsTransient(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }
        return false;
    }

    private enum Settlement
    {
        Ack,
        Requeue,
        DeadLetter,
    }

    private async Task SettleAsync(IChannel channel, BasicDeliverEventArgs delivery, Settlement settlement)
    {
        try
        {
            // CancellationToken.None: a message handled during shutdown must still be acknowledged.
            switch (settlement)
            {
                case Settlement.Ack:
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
                    break;
                case Settlement.Requeue:
                    await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
                    break;
                default:
                    // For a durable queue this goes to "{queue}.dlq" through the dead-letter exchange.
                    await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None);
                    break;
            }
        }
        catch (Exception ex)
        {
            // The channel died under us; the broker redelivers the message, which is why handlers are idempotent.
            logger.LogWarning(ex, "Could not {Settlement} message on queue {Queue}; the broker will redeliver it", settlement, options.QueueName);
        }
    }
}
