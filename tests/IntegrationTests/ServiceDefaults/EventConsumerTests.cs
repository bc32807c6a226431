using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ServiceDefaults;

/// <summary>
/// A probe event of this class's own: its routing key is its type name, so other tests' events on the shared broker
/// never reach these queues.
/// </summary>
public sealed record ServiceDefaultsConsumerProbe : IntegrationEvent
{
    public required string Text { get; init; }
}

/// <summary>AddEventConsumer against the test run's real RabbitMQ: settlement, dead-lettering, correlation, fan-out.</summary>
public sealed class EventConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _logDirectory = Directory.CreateTempSubdirectory("servicedefaults-consumer-").FullName;
    private readonly List<IHost> _hosts = [];
    private readonly List<string> _queues = [];
    private string _connectionString = null!;
    private IConnection _broker = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestServers.Shared.GetRabbitMQConnectionStringAsync();
        _broker = await new ConnectionFactory { Uri = new Uri(_connectionString) }.CreateConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await using (var channel = await _broker.CreateChannelAsync())
        {
            foreach (var queue in _queues)
            {
                await channel.QueueDeleteAsync(queue);
                await channel.QueueDeleteAsync(EventBusTopology.DeadLetterQueueName(queue));
            }
        }

        await _broker.DisposeAsync();
        Directory.Delete(_logDirectory, recursive: true);
    }

    [Fact]
    public async Task Handled_message_is_acked_with_the_publishers_correlation_id()
    {
        var queue = NewQueueName();
        var (host, recorder) = await StartConsumerAsync(queue, EventQueueKind.Durable);
        await WaitUntilConsumingAsync(queue);

        var probe = NewProbe();
        await PublishAsync(JsonSerializer.SerializeToUtf8Bytes(probe, ContractJson.Options), "corr-from-publisher");

        await Eventually(() => Task.FromResult(!recorder.Handled.IsEmpty), "the handler to run");
        var (handled, correlationId) = Assert.Single(recorder.Handled);
        Assert.Equal(probe.EventId, handled.EventId);
        Assert.Equal("corr-from-publisher", correlationId);
        // Closing the consumer's channel would return an unacked message to the queue: after the stop, it must be gone.
        await host.StopAsync();
        Assert.Equal(0u, await ReadyAsync(queue));
        Assert.Equal(0u, await ReadyAsync(EventBusTopology.DeadLetterQueueName(queue)));
    }

    [Fact]
    public async Task Failing_handler_gets_one_retry_then_the_message_is_dead_lettered()
    {
        var queue = NewQueueName();
        var (_, recorder) = await StartConsumerAsync(queue, EventQueueKind.Durable);
        recorder.Fail = true;
        await WaitUntilConsumingAsync(queue);

        await PublishAsync(JsonSerializer.SerializeToUtf8Bytes(NewProbe(), ContractJson.Options), "corr-failing");

        await Eventually(async () => await ReadyAsync(EventBusTopology.DeadLetterQueueName(queue)) == 1, "the dead-lettered message");
        Assert.Equal(2, recorder.Attempts);
        Assert.Equal(0u, (await CountsAsync(queue)).Ready);
    }

    [Fact]
    public async Task Malformed_payload_is_dead_lettered_without_calling_the_handler()
    {
        var queue = NewQueueName();
        var (_, recorder) = await StartConsumerAsync(queue, EventQueueKind.Durable);
        await WaitUntilConsumingAsync(queue);

        await PublishAsync("""{"text":"no tenant, no ids"}"""u8.ToArray(), "corr-malformed");

        await Eventually(async () => await ReadyAsync(EventBusTopology.DeadLetterQueueName(queue)) == 1, "the dead-lettered message");
        Assert.Equal(0, recorder.Attempts);
    }

    [Fact]
    public async Task Per_instance_queues_give_every_instance_every_event()
    {
        var (_, first) = await StartConsumerAsync("servicedefaults-tests.live", EventQueueKind.PerInstance);
        var (_, second) = await StartConsumerAsync("servicedefaults-tests.live", EventQueueKind.PerInstance);
        // Broker-named queues cannot be polled by name: keep publishing until both instances have seen an event.
        await Eventually(async () =>
        {
            await PublishAsync(JsonSerializer.SerializeToUtf8Bytes(NewProbe(), ContractJson.Options), "corr-fanout");
            await Task.Delay(200);
            return !first.Handled.IsEmpty && !second.Handled.IsEmpty;
        }, "both instances to receive an event");
    }

    private string NewQueueName()
    {
        var queue = "servicedefaults-tests." + Guid.NewGuid().ToString("N")[..12];
        _queues.Add(queue);
        return queue;
    }

    private async Task<(IHost Host, ProbeRecorder Recorder)> StartConsumerAsync(string queue, EventQueueKind kind)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "servicedefaults-consumer-tests",
            ["Logging:Directory"] = _logDirectory,
            ["ConnectionStrings:messaging"] = _connectionString,
        });
        builder.AddServiceDefaults();
        builder.AddEventBus("messaging");
        var recorder = new ProbeRecorder();
        builder.Services.AddSingleton(recorder);
        builder.AddEventConsumer<ServiceDefaultsConsumerProbe, RecordingProbeHandler>(queue, kind);

        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return (host, recorder);
    }

    private static ServiceDefaultsConsumerProbe NewProbe() => new() { TenantId = Guid.NewGuid(), Text = "probe" };

    private async Task PublishAsync(byte[] body, string correlationId)
    {
        await using var channel = await _broker.CreateChannelAsync();
        await channel.BasicPublishAsync(
            EventBusNames.Exchange, nameof(ServiceDefaultsConsumerProbe), mandatory: false,
            new BasicProperties { CorrelationId = correlationId, MessageId = Guid.NewGuid().ToString(), Persistent = true },
            body);
    }

    private Task WaitUntilConsumingAsync(string queue) =>
        Eventually(async () => (await CountsAsync(queue)).Consumers > 0, $"a consumer on {queue}");

    /// <summary>Ready messages (not unacked ones) and consumers, from a passive declare; zeros while undeclared.</summary>
    private async Task<(uint Ready, uint Consumers)> CountsAsync(string queue)
    {
        try
        {
            await using var channel = await _broker.CreateChannelAsync();
            var ok = await channel.QueueDeclarePassiveAsync(queue);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return (0, 0);
        }
    }

    private async Task<uint> ReadyAsync(string queue) => (await CountsAsync(queue)).Ready;

    private static async Task Eventually(Func<Task<bool>> condition, string waitingFor)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Timeout.TotalSeconds:0} s waiting for {waitingFor}.");
            }

            await Task.Delay(50);
        }
    }

    public sealed class ProbeRecorder
    {
        public ConcurrentQueue<(ServiceDefaultsConsumerProbe Event, string? CorrelationId)> Handled { get; } = new();
        public int Attempts;
        public volatile bool Fail;
    }

    public sealed class RecordingProbeHandler(ProbeRecorder recorder) : IIntegrationEventHandler<ServiceDefaultsConsumerProbe>
    {
        public Task HandleAsync(ServiceDefaultsConsumerProbe @event, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref recorder.Attempts);
            if (recorder.Fail)
            {
                throw new InvalidOperationException("Probe handler told to fail.");
            }

            recorder.Handled.Enqueue((@event, CorrelationContext.Current));
            return Task.CompletedTask;
        }
    }
}
