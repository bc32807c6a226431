using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;
using SaasAssistants.Testing;
using Xunit;
using MessageProcessorServices = SaasAssistants.MessageProcessor.Extensions.ApplicationServiceExtensions;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

/// <summary>
/// The real MessageProcessor process (its build output, started by tests/Testing's ServiceProcess and healthy) on a
/// database and a RabbitMQ virtual host of its own, plus a connection that publishes to it and listens to what it
/// publishes. One per test class: starting the process takes seconds. The vhost matters: the Gateway's tests publish
/// InboundMessageReceived too, and in a shared vhost this worker took them from its queue and dead-lettered them
/// (their channels are not in its database), so a test here read another class's dead letter.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MessageProcessorHost : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<Guid, Channel<AiResponseGenerated>> _replies = new();
    // Message ids only: a delivery's body and properties belong to the client once the callback returns.
    private readonly Channel<string?> _deadLetters = Channel.CreateUnbounded<string?>();
    private IConnection _rabbit = null!;
    private IChannel _channel = null!;

    public const string AdminToken = "test-admin-token";

    public TestDatabase Database { get; private set; } = null!;

    public RabbitMQVirtualHost Messaging { get; private set; } = null!;

    public ServiceProcess Process { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Messaging = await RabbitMQVirtualHost.CreateAsync();
        var messaging = Messaging.ConnectionString;

        _rabbit = await new ConnectionFactory { Uri = new Uri(messaging) }.CreateConnectionAsync();
        _channel = await _rabbit.CreateChannelAsync();
        await EventBusTopology.DeclareAsync(_channel, CancellationToken.None);
        // The worker's queue as the worker declares it, so what is published before its consumer is up waits there.
        await EventBusTopology.DeclareQueueAsync(_channel, MessageProcessorServices.InboundMessagesQueue, EventQueueKind.Durable,
            nameof(InboundMessageReceived), CancellationToken.None);
        await ListenAsync(
            await EventBusTopology.DeclareQueueAsync(_channel, string.Empty, EventQueueKind.PerInstance, nameof(AiResponseGenerated), CancellationToken.None),
            delivery =>
            {
                var reply = JsonSerializer.Deserialize<AiResponseGenerated>(delivery.Body.Span, ContractJson.Options)!;
                RepliesOf(reply.TenantId).Writer.TryWrite(reply);
            });
        await ListenAsync(EventBusTopology.DeadLetterQueueName(MessageProcessorServices.InboundMessagesQueue),
            delivery => _deadLetters.Writer.TryWrite(delivery.BasicProperties.MessageId));

        Process = await ServiceProcess.StartAsync("MessageProcessor", new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = Database.AppConnectionString,
            ["ConnectionStrings:messaging"] = messaging,
            ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync(),
            // A reply buffer of its own in the shared Redis: no other test class claims its conversations.
            ["Buffering:Key"] = "test:replies:due:" + Guid.NewGuid().ToString("N"),
            ["Secrets:EncryptionKey"] = Database.EncryptionKey,
            ["Admin:Token"] = AdminToken,
        });
    }

    public async Task DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }

        if (Messaging is not null)
        {
            await Messaging.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    /// <summary>Publishes as the outbox relay does: persistent, JSON, message id = event id, tenant in a header.</summary>
    public async Task PublishAsync(IntegrationEvent evt)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = evt.EventId.ToString(),
            ContentType = "application/json",
            Type = evt.EventName,
            Headers = new Dictionary<string, object?> { [EventBusNames.TenantHeader] = evt.TenantId.ToString() },
        };
        await _channel.BasicPublishAsync(EventBusNames.Exchange, evt.EventName, mandatory: false, properties,
            JsonSerializer.SerializeToUtf8Bytes(evt, evt.GetType(), ContractJson.Options));
    }

    /// <summary>The next AiResponseGenerated of a tenant (each test uses a tenant of its own).</summary>
    public Task<AiResponseGenerated> NextReplyAsync(Guid tenantId) => NextAsync(RepliesOf(tenantId), "AiResponseGenerated");

    public bool HasPendingReply(Guid tenantId) => RepliesOf(tenantId).Reader.TryPeek(out _);

    /// <summary>The message id (the event id) of the next message dead-lettered from the worker's queue.</summary>
    public Task<string?> NextDeadLetterAsync() => NextAsync(_deadLetters, "a dead-lettered message");

    private Channel<AiResponseGenerated> RepliesOf(Guid tenantId) => _replies.GetOrAdd(tenantId, _ => Channel.CreateUnbounded<AiResponseGenerated>());

    private async Task ListenAsync(string queue, Action<BasicDeliverEventArgs> onDelivery)
    {
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            onDelivery(delivery);
            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(queue, autoAck: true, consumer);
    }

    private async Task<T> NextAsync<T>(Channel<T> channel, string waitingFor)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await channel.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var log = string.Join('\n', Process.Tail(40));
            throw new TimeoutException($"No {waitingFor} within {Timeout.TotalSeconds:0} s. The worker's last log lines:\n{log}");
        }
    }
}
