using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;
using SaasAssistants.MessageProcessor.DeadLetters;
using SaasAssistants.Testing;
using Xunit;
using MessageProcessorServices = SaasAssistants.MessageProcessor.Extensions.ApplicationServiceExtensions;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>The replay command's work against the real broker: dead letters go back to their queue, whole and once.</summary>
public sealed class DeadLetterReplayTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Dead_letters_go_back_to_their_queue_with_their_id_and_body_and_leave_the_dead_letter_queue()
    {
        await using var vhost = await RabbitMQVirtualHost.CreateAsync();
        var queue = MessageProcessorServices.InboundMessagesQueue;
        await using var connection = await new ConnectionFactory { Uri = new Uri(vhost.ConnectionString) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await EventBusTopology.DeclareAsync(channel, CancellationToken.None);
        await EventBusTopology.DeclareQueueAsync(channel, queue, EventQueueKind.Durable, nameof(InboundMessageReceived), CancellationToken.None);
        var deadLetterQueue = EventBusTopology.DeadLetterQueueName(queue);
        for (var i = 0; i < 3; i++)
        {
            await channel.BasicPublishAsync(string.Empty, deadLetterQueue, mandatory: true,
                new BasicProperties { MessageId = $"event-{i}", Persistent = true, Headers = new Dictionary<string, object?> { ["x-death"] = "earlier" } },
                System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }
        await Wait.ForAsync(() => channel.MessageCountAsync(deadLetterQueue), count => count == 3, TimeSpan.FromSeconds(5), "three dead letters");
        using var host = await EngineHost.CreateAsync(database, new Dictionary<string, string?> { ["ConnectionStrings:messaging"] = vhost.ConnectionString });

        var replayed = await host.Services.GetRequiredService<DeadLetterReplayer>().ReplayAsync(queue, 10, CancellationToken.None);

        Assert.Equal(3, replayed);
        Assert.Equal(0u, await channel.MessageCountAsync(deadLetterQueue));
        var back = new List<(string? Id, string Body, bool HasDeath)>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            back.Add((message.BasicProperties.MessageId, System.Text.Encoding.UTF8.GetString(message.Body.Span), message.BasicProperties.Headers?.ContainsKey("x-death") == true));
        }

        Assert.Equal([("event-0", "{\"n\":0}", false), ("event-1", "{\"n\":1}", false), ("event-2", "{\"n\":2}", false)], back);
    }
}
