using RabbitMQ.Client;
using SaasAssistants.EventBus;

namespace SaasAssistants.MessageProcessor.DeadLetters;

/// <summary>
/// Puts dead-lettered messages back on the queue they died on, for the consumer to try again (e.g. after a database
/// outage outlasted the consumer's retries). Publishes straight to that queue (default exchange), so the other
/// services' subscribers do not see the event twice; headers, id and body are kept, so the handler's idempotency
/// still recognises a message it did store. Each message is acknowledged on the dead-letter queue only after the
/// broker confirmed the republish: a crash in between duplicates, never loses.
/// </summary>
public sealed class DeadLetterReplayer(RabbitMQConnection connection, ILogger<DeadLetterReplayer> logger)
{
    public async Task<int> ReplayAsync(string queue, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var rabbit = await connection.GetAsync(cancellationToken);
        await using var channel = await rabbit.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var deadLetterQueue = EventBusTopology.DeadLetterQueueName(queue);
        var replayed = 0;
        while (replayed < max && await channel.BasicGetAsync(deadLetterQueue, autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties);
            // The broker's record of the earlier deaths would make the consumer think it had failed before.
            properties.Headers?.Remove("x-death");
            properties.Headers?.Remove("x-first-death-exchange");
            properties.Headers?.Remove("x-first-death-queue");
            properties.Headers?.Remove("x-first-death-reason");
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }
        logger.LogInformation("Replayed {Count} dead-lettered messages from {DeadLetterQueue} to {Queue}", replayed, deadLetterQueue, queue);
        return replayed;
    }
}
