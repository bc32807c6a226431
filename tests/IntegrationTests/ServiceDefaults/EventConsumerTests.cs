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

/// <summary>
/// AddEventConsumer against the test run's real RabbitMQ: settlement, dead-lettering, correlation, fan-out, and
/// several deliveries at once with one key's in order (a probe's key is the part of its text before ':').
/// </summary>
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

    [Fact]
    public async Task With_concurrency_deliveries_of_different_keys_are_handled_at_the_same_time()
    {
        var queue = NewQueueName();
        var (host, recorder) = await StartConsumerAsync(queue, EventQueueKind.Durable, concurrency: 4);
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Each handler waits for the other to have started: one at a time, the first would wait forever (here: fail).
        recorder.Before = async (probe, cancellationToken) =>
        {
            var (mine, other) = probe.Text.StartsWith("a:", StringComparison.Ordinal) ? (aStarted, bStarted) : (bStarted, aStarted);
            mine.TrySetResult();
            await other.Task.WaitAsync(Timeout, cancellationToken);
        };
        await WaitUntilConsumingAsync(queue);

        await PublishAsync(Probe("a:1"));
        await PublishAsync(Probe("b:1"));

        await Eventually(() => Task.FromResult(recorder.Handled.Count == 2), "both handlers to finish");
        await host.StopAsync();
        Assert.Equal(0u, await ReadyAsync(queue));
        Assert.Equal(0u, await ReadyAsync(EventBusTopology.DeadLetterQueueName(queue)));
    }

    [Fact]
    public async Task With_concurrency_one_keys_deliveries_run_one_after_another_in_queue_order()
    {
        var queue = NewQueueName();
        var (_, recorder) = await StartConsumerAsync(queue, EventQueueKind.Durable, concurrency: 4);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.Before = (probe, cancellationToken) => probe.Text == "a:1" ? releaseFirst.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
        await WaitUntilConsumingAsync(queue);

        for (var i = 1; i <= 5; i++)
        {
            await PublishAsync(Probe($"a:{i}"));
            await PublishAsync(Probe($"b:{i}"));
        }

        // Key b goes on while a:1 is held; nothing of key a overtakes it.
        await Eventually(() => Task.FromResult(HandledTexts(recorder, "b").Count == 5), "key b's deliveries");
        Assert.Equal(["a:1"], recorder.Started.Where(t => t.StartsWith("a:", StringComparison.Ordinal)));
        releaseFirst.SetResult();

        await Eventually(() => Task.FromResult(recorder.Handled.Count == 10), "all deliveries");
        Assert.Equal(["a:1", "a:2", "a:3", "a:4", "a:5"], HandledTexts(recorder, "a"));
        Assert.Equal(["b:1", "b:2", "b:3", "b:4", "b:5"], HandledTexts(recorder, "b"));
        Assert.Equal(1, recorder.MostAtOnceForOneKey);
    }

    [Fact]
    public async Task Stopping_the_consumer_mid_way_loses_nothing_and_the_next_one_handles_the_rest_in_order()
    {
        var queue = NewQueueName();
        var (first, before) = await StartConsumerAsync(queue, EventQueueKind.Durable, concurrency: 4);
        // Key a's first handler is still working when the consumer stops (it sees the stopping token).
        before.Before = (probe, cancellationToken) => probe.Text.StartsWith("a:", StringComparison.Ordinal)
            ? Task.Delay(System.Threading.Timeout.Infinite, cancellationToken)
            : Task.CompletedTask;
        await WaitUntilConsumingAsync(queue);
        var published = new List<ServiceDefaultsConsumerProbe>();
        foreach (var key in new[] { "a", "b", "c" })
        {
            for (var i = 1; i <= 4; i++)
            {
                published.Add(NewProbe($"{key}:{i}"));
            }
        }

        foreach (var probe in published.OrderBy(p => p.Text[2..]).ThenBy(p => p.Text[0]))
        {
            await PublishAsync(JsonSerializer.SerializeToUtf8Bytes(probe, ContractJson.Options), "corr-stop");
        }

        await Eventually(() => Task.FromResult(before.Started.Contains("a:1") && HandledTexts(before, "b").Count == 4), "a:1 to start and key b to finish");
        await first.StopAsync();

        var (_, after) = await StartConsumerAsync(queue, EventQueueKind.Durable, concurrency: 4);
        await Eventually(() => Task.FromResult(before.Handled.Count + after.Handled.Count >= published.Count), "every delivery to be handled");
        Assert.Equal(published.Select(p => p.EventId).Order(),
            before.Handled.Concat(after.Handled).Select(h => h.Event.EventId).Distinct().Order());
        Assert.Empty(HandledTexts(before, "a"));
        Assert.Equal(["a:1", "a:2", "a:3", "a:4"], HandledTexts(after, "a"));
        Assert.Equal(0u, await ReadyAsync(queue));
        Assert.Equal(0u, await ReadyAsync(EventBusTopology.DeadLetterQueueName(queue)));
    }

    private static List<string> HandledTexts(ProbeRecorder recorder, string key) =>
        recorder.Handled.Select(h => h.Event.Text).Where(t => t.StartsWith(key + ":", StringComparison.Ordinal)).ToList();

    private async Task PublishAsync(ServiceDefaultsConsumerProbe probe) =>
        await PublishAsync(JsonSerializer.SerializeToUtf8Bytes(probe, ContractJson.Options), "corr-" + probe.Text);

    private static ServiceDefaultsConsumerProbe Probe(string text) => NewProbe(text);

    private string NewQueueName()
    {
        var queue = "servicedefaults-tests." + Guid.NewGuid().ToString("N")[..12];
        _queues.Add(queue);
        return queue;
    }

    private async Task<(IHost Host, ProbeRecorder Recorder)> StartConsumerAsync(string queue, EventQueueKind kind, int concurrency = 1)
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
        builder.AddEventConsumer<ServiceDefaultsConsumerProbe, RecordingProbeHandler>(queue, kind, prefetch: 16, concurrency,
            concurrency > 1 ? probe => probe.Text.Split(':')[0] : null);

        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return (host, recorder);
    }

    private static ServiceDefaultsConsumerProbe NewProbe(string text = "probe") => new() { TenantId = Guid.NewGuid(), Text = text };

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
        private readonly ConcurrentDictionary<string, int> _runningByKey = new();
        private int _mostAtOnceForOneKey;

        public ConcurrentQueue<(ServiceDefaultsConsumerProbe Event, string? CorrelationId)> Handled { get; } = new();
        public ConcurrentQueue<string> Started { get; } = new();
        public int Attempts;
        public volatile bool Fail;

        /// <summary>Runs in the handler before it records the probe: a test's gate.</summary>
        public Func<ServiceDefaultsConsumerProbe, CancellationToken, Task>? Before { get; set; }

        public int MostAtOnceForOneKey => Volatile.Read(ref _mostAtOnceForOneKey);

        public void Enter(string key)
        {
            var running = _runningByKey.AddOrUpdate(key, 1, (_, count) => count + 1);
            int most;
            while (running > (most = Volatile.Read(ref _mostAtOnceForOneKey)) && Interlocked.CompareExchange(ref _mostAtOnceForOneKey, running, most) != most)
            {
            }
        }

        public void Leave(string key) => _runningByKey.AddOrUpdate(key, 0, (_, count) => count - 1);
    }

    public sealed class RecordingProbeHandler(ProbeRecorder recorder) : IIntegrationEventHandler<ServiceDefaultsConsumerProbe>
    {
        public async Task HandleAsync(ServiceDefaultsConsumerProbe @event, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref recorder.Attempts);
            if (recorder.Fail)
            {
                throw new InvalidOperationException("Probe handler told to fail.");
            }

            var key = @event.Text.Split(':')[0];
            recorder.Enter(key);
            try
            {
                recorder.Started.Enqueue(@event.Text);
                if (recorder.Before is { } before)
                {
                    await before(@event, cancellationToken);
                }

                recorder.Handled.Enqueue((@event, CorrelationContext.Current));
            }
            finally
            {
                recorder.Leave(key);
            }
        }
    }
}
