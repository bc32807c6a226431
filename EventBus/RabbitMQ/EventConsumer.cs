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

    /// <summary>Deliveries handled at once; those with the same ordering key always one after another, in order.</summary>
    public int Concurrency { get; init; } = 1;
}

/// <summary>
/// Consumes one event type from one queue for as long as the host runs: waits for the broker, declares what it
/// needs, hands each message to a freshly scoped handler, and settles it (ack / retry once / dead-letter) only after
/// the handler has finished, so a crash redelivers whatever was not done. With <see cref="EventConsumerOptions.Concurrency"/>
/// above 1, up to that many deliveries are handled at once through a <see cref="KeyedSerialDispatcher"/>: the library
/// still hands over deliveries one at a time, in queue order, and deliveries with the same ordering key (e.g. one
/// conversation) run one after another in that order; without an ordering key everything runs one at a time.
/// </summary>
internal sealed class EventConsumer<TEvent, THandler>(
    RabbitMQConnection connection,
    IServiceScopeFactory scopeFactory,
    ILogger<EventConsumer<TEvent, THandler>> logger,
    EventConsumerOptions options,
    Func<TEvent, string>? orderingKey = null) : BackgroundService
    where TEvent : IntegrationEvent
    where THandler : class, IIntegrationEventHandler<TEvent>
{
    private static readonly string RoutingKey = typeof(TEvent).Name;
    private static readonly TimeSpan RecoveryPollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan InFlightDrainTimeout = TimeSpan.FromSeconds(10);

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

        // One delivery handed over at a time, whatever the connection factory says: the dispatcher's per-key order is
        // the order in which the library calls us (the library's own concurrency would give up that order).
        await using var channel = await rabbit.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: 1),
            stoppingToken);
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) => Signal(lost, args.ReplyText);

        await EventBusTopology.DeclareAsync(channel, stoppingToken);
        var queue = await EventBusTopology.DeclareQueueAsync(channel, options.QueueName, options.Kind, RoutingKey, stoppingToken);
        await channel.BasicQosAsync(prefetchSize: 0, options.Prefetch, global: false, stoppingToken);

        var session = new ConsumeSession(channel, new KeyedSerialDispatcher(options.Concurrency, logger));
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(session, delivery, stoppingToken);
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
            await StopConsumingAsync(session, consumerTag);
        }
    }

    private static Task Signal(TaskCompletionSource<string> lost, string reason)
    {
        lost.TrySetResult(reason);
        return Task.CompletedTask;
    }

    private async Task StopConsumingAsync(ConsumeSession session, string consumerTag)
    {
        var channel = session.Channel;
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

        // The handlers in progress see the stopping token; give them the chance to settle their messages. Whatever is
        // still unsettled when the channel closes goes back to the queue.
        try
        {
            await session.Dispatcher.WhenIdleAsync().WaitAsync(InFlightDrainTimeout);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Handlers on queue {Queue} still running after {Timeout}; their messages will be redelivered",
                options.QueueName, InFlightDrainTimeout);
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

    /// <summary>
    /// Called by the library for one delivery after another. Reads the delivery now (its body is the library's pooled
    /// buffer, valid only until this returns) and posts its handling under its ordering key; returns as soon as the
    /// handling has started or queued, so the next delivery can start alongside.
    /// </summary>
    private Task OnDeliveryAsync(ConsumeSession session, BasicDeliverEventArgs args, CancellationToken stoppingToken)
    {
        var delivery = ReceivedDelivery.Read(args);
        session.Dispatcher.Post(OrderingKeyOf(delivery), () => ProcessAsync(session, delivery, stoppingToken));
        return Task.CompletedTask;
    }

    /// <summary>The delivery's ordering key; without one (no key function, a malformed event) the shared empty key.</summary>
    private string OrderingKeyOf(ReceivedDelivery delivery)
    {
        if (delivery.Event is not { } @event || orderingKey is null)
        {
            return string.Empty;
        }

        try
        {
            return orderingKey(@event);
        }
        catch (Exception ex)
        {
            // A throw here would leave the delivery unsettled until the channel closed: run it in the shared line instead.
            logger.LogWarning(ex, "No ordering key for {EventName} {IntegrationEventId}; handled in the shared order", RoutingKey, @event.EventId);
            return string.Empty;
        }
    }

    private async Task ProcessAsync(ConsumeSession session, ReceivedDelivery delivery, CancellationToken stoppingToken)
    {
        // The publisher's trace context (ultimately the request that caused the event) makes this delivery part of
        // that trace, and everything the handler writes to the outbox carries it on.
        using var activity = EventBusTelemetry.ActivitySource.StartActivity(
            $"{RoutingKey} process",
            ActivityKind.Consumer,
            EventBusTelemetry.ParseParent(delivery.TraceParent, delivery.TraceState));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", options.QueueName);
        activity?.SetTag("messaging.message.id", delivery.MessageId);

        // The publisher's correlation id (from the request that caused the event) keeps the whole story under one id.
        var correlationId = CorrelationId.AcceptOrCreate(delivery.CorrelationId);
        CorrelationContext.Current = correlationId;
        Activity.Current?.SetTag(CorrelationContext.ActivityTagName, correlationId);

        using var scope = logger.BeginScope(new KeyValuePair<string, object>[]
        {
            new(CorrelationContext.LogPropertyName, correlationId),
            new("EventName", RoutingKey),
            new("Queue", options.QueueName),
        });

        if (delivery.Event is not { } @event)
        {
            // Never the payload itself in the log: it may hold customer messages.
            logger.LogError("Malformed {EventName} message {MessageId} rejected to the dead-letter queue: {Error}",
                RoutingKey, delivery.MessageId, delivery.Malformed ?? "the payload is null");
            await SettleAsync(session, delivery, Settlement.DeadLetter);
            return;
        }

        using var tenantScope = logger.BeginScope(new KeyValuePair<string, object>[] { new("TenantId", @event.TenantId) });
        try
        {
            await HandleWithRetriesAsync(@event, stoppingToken);
            await SettleAsync(session, delivery, Settlement.Ack);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not the message's fault: hand it back for another instance or the next start.
            await SettleAsync(session, delivery, Settlement.Requeue);
        }
        catch (Exception ex)
        {
            var settlement = delivery.Redelivered ? Settlement.DeadLetter : Settlement.Requeue;
            logger.LogError(ex, "Handler {Handler} failed for {EventName} {IntegrationEventId}; {Outcome}",
                typeof(THandler).Name, RoutingKey, @event.EventId,
                settlement == Settlement.Requeue ? "requeued for one more attempt" : "rejected to the dead-letter queue");
            await SettleAsync(session, delivery, settlement);
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

    private async Task SettleAsync(ConsumeSession session, ReceivedDelivery delivery, Settlement settlement)
    {
        var channel = session.Channel;
        // Handlers finish in any order; their acks (each for its own tag, never "multiple") go out one at a time.
        await session.Settling.WaitAsync(CancellationToken.None);
        try
        {
            // CancellationToken.None: a message handled during shutdown must still be acknowledged.
            switch (settlement)
            {
                case Settlement.Ack:
                    await channel.BasicAckAsync(delivery.Tag, multiple: false, CancellationToken.None);
                    break;
                case Settlement.Requeue:
                    await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true, CancellationToken.None);
                    break;
                default:
                    // For a durable queue this goes to "{queue}.dlq" through the dead-letter exchange.
                    await channel.BasicRejectAsync(delivery.Tag, requeue: false, CancellationToken.None);
                    break;
            }
        }
        catch (Exception ex)
        {
            // The channel died under us; the broker redelivers the message, which is why handlers are idempotent.
            logger.LogWarning(ex, "Could not {Settlement} message on queue {Queue}; the broker will redeliver it", settlement, options.QueueName);
        }
        finally
        {
            session.Settling.Release();
        }
    }

    /// <summary>One open channel's consumption: where its deliveries are settled, and the handling still in flight on it.</summary>
    private sealed record ConsumeSession(IChannel Channel, KeyedSerialDispatcher Dispatcher)
    {
        public SemaphoreSlim Settling { get; } = new(1, 1);
    }

    /// <summary>What the handling needs of a delivery, copied out of the library's buffers while they are valid.</summary>
    private sealed record ReceivedDelivery(
        ulong Tag, bool Redelivered, string? MessageId, string? CorrelationId, string? TraceParent, string? TraceState,
        TEvent? Event, string? Malformed)
    {
        public static ReceivedDelivery Read(BasicDeliverEventArgs args)
        {
            TEvent? @event = null;
            string? malformed = null;
            try
            {
                @event = JsonSerializer.Deserialize<TEvent>(args.Body.Span, ContractJson.Options);
            }
            catch (JsonException ex)
            {
                malformed = ex.Message;
            }

            var headers = args.BasicProperties.Headers;
            return new ReceivedDelivery(args.DeliveryTag, args.Redelivered, args.BasicProperties.MessageId, args.BasicProperties.CorrelationId,
                EventBusTelemetry.ReadHeader(headers, EventBusTelemetry.TraceParentHeader),
                EventBusTelemetry.ReadHeader(headers, EventBusTelemetry.TraceStateHeader),
                @event, malformed);
        }
    }
}
