using RabbitMQ.Client;
using SaasAssistants.Contracts.Events;

namespace SaasAssistants.EventBus;

/// <summary>
/// The exchanges every publisher and consumer agree on. Declarations are idempotent, so whoever comes first creates
/// them and the order services start in does not matter.
/// </summary>
public static class EventBusTopology
{
    /// <summary>
    /// Declares the durable topic exchange for events (routing key = event type name) and the durable
    /// dead-letter exchange. The DLX is a direct exchange: each durable queue dead-letters with its own name as
    /// routing key and its "{queue}.dlq" is bound under that key, so a failure in one service's queue never lands in
    /// another service's DLQ (with a topic DLX and the original routing key, every DLQ bound to the event would get it).
    /// </summary>
    public static async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(EventBusNames.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(EventBusNames.DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
    }

    /// <summary>The dead-letter queue that belongs to a durable queue.</summary>
    public static string DeadLetterQueueName(string queueName) => $"{queueName}.dlq";

    /// <summary>
    /// Declares a queue for <paramref name="routingKey"/> and returns its name (broker-generated for
    /// <see cref="EventQueueKind.PerInstance"/>). Durable queues get their DLQ and dead-letter arguments.
    /// </summary>
    public static async Task<string> DeclareQueueAsync(
        IChannel channel, string queueName, EventQueueKind kind, string routingKey, CancellationToken cancellationToken)
    {
        string declared;
        if (kind == EventQueueKind.Durable)
        {
            var deadLetterQueue = DeadLetterQueueName(queueName);
            await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(deadLetterQueue, EventBusNames.DeadLetterExchange, routingKey: queueName, cancellationToken: cancellationToken);

            var arguments = new Dictionary<string, object?>
            {
                ["x-dead-letter-exchange"] = EventBusNames.DeadLetterExchange,
                ["x-dead-letter-routing-key"] = queueName,
            };
            declared = (await channel.QueueDeclareAsync(queueName, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken)).QueueName;
        }
        else
        {
            declared = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)).QueueName;
        }

        await channel.QueueBindAsync(declared, EventBusNames.Exchange, routingKey, cancellationToken: cancellationToken);
        return declared;
    }
}
