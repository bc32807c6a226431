using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.EventBus;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.IntegrationTests.Database;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.EventBus;

/// <summary>A probe of this class's own: its routing key (type name) reaches no other test's queue.</summary>
public sealed record TraceContextProbe : IntegrationEvent;

/// <summary>
/// The trace context rides the outbox: an event written inside an activity (a webhook's request) is published by the
/// relay and handled by the consumer in that same trace, so the dashboard shows webhook -> processor -> reply as one.
/// Real PostgreSQL (this class's database) and the test run's real RabbitMQ.
/// </summary>
public sealed class TraceContextTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Stands in for ASP.NET Core's request activity in the service that writes the event.
    private static readonly ActivitySource Writer = new("SaasAssistants.IntegrationTests.Writer");

    private readonly ActivityListener _listener = new()
    {
        // What OpenTelemetry's tracer provider does for AddSource("SaasAssistants.*"): listen and record.
        ShouldListenTo = source => source.Name.StartsWith("SaasAssistants.", StringComparison.Ordinal),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private readonly string _queue = "trace-context-tests." + Guid.NewGuid().ToString("N")[..12];
    private IHost _host = null!;
    private IConnection _broker = null!;

    public async Task InitializeAsync()
    {
        ActivitySource.AddActivityListener(_listener);
        _broker = await new ConnectionFactory { Uri = new Uri(await TestServers.Shared.GetRabbitMQConnectionStringAsync()) }.CreateConnectionAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = database.AppConnectionString,
            ["ConnectionStrings:messaging"] = await TestServers.Shared.GetRabbitMQConnectionStringAsync(),
            ["Secrets:EncryptionKey"] = database.EncryptionKey,
        });
        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");
        builder.AddOutboxRelay();
        builder.Services.AddSingleton<HandledProbes>();
        builder.AddEventConsumer<TraceContextProbe, RecordingHandler>(_queue, EventQueueKind.Durable);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await using (var channel = await _broker.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(_queue);
            await channel.QueueDeleteAsync(EventBusTopology.DeadLetterQueueName(_queue));
        }

        await _broker.DisposeAsync();
        _listener.Dispose();
    }

    [Fact]
    public async Task The_consumer_handles_the_event_in_the_trace_that_wrote_it()
    {
        var tenant = await TenantRows.InsertAsync(database.OwnerConnectionString, "trace-context");
        var handled = _host.Services.GetRequiredService<HandledProbes>();
        await WaitUntilConsumingAsync();

        ActivityTraceId writerTrace;
        ActivitySpanId writerSpan;
        var probe = new TraceContextProbe { TenantId = tenant.TenantId };
        using (var request = Writer.StartActivity("POST /webhooks/whatsapp", ActivityKind.Server))
        {
            Assert.NotNull(request);
            writerTrace = request.TraceId;
            writerSpan = request.SpanId;
            await using var db = TenantDbContexts.Create(_host.Services.GetRequiredService<NpgsqlDataSource>(), tenant.TenantId);
            db.AddIntegrationEvent(probe);
            await db.SaveChangesAsync();
        }

        // The relay runs on its own, outside any request: only the outbox row can carry the context across.
        var consumed = await handled.Received.Task.WaitAsync(Timeout);

        Assert.Equal(probe.EventId, consumed.EventId);
        Assert.Equal(writerTrace, consumed.TraceId);
        // The consumer's span is not the writer's own: it hangs below the relay's publish span.
        Assert.NotEqual(writerSpan, consumed.ParentSpanId);
        Assert.NotEqual(default, consumed.ParentSpanId);
    }

    /// <summary>An event published before the queue is bound would be dropped by the exchange.</summary>
    private async Task WaitUntilConsumingAsync()
    {
        await Eventually.TrueAsync(async () =>
        {
            await using var channel = await _broker.CreateChannelAsync();
            try
            {
                return (await channel.QueueDeclarePassiveAsync(_queue)).ConsumerCount > 0;
            }
            catch (OperationInterruptedException)
            {
                return false; // not declared yet
            }
        }, Timeout, "the consumer on " + _queue);
    }

    public sealed record Consumed(Guid EventId, ActivityTraceId TraceId, ActivitySpanId ParentSpanId);

    public sealed class HandledProbes
    {
        public TaskCompletionSource<Consumed> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class RecordingHandler(HandledProbes handled) : IIntegrationEventHandler<TraceContextProbe>
    {
        public Task HandleAsync(TraceContextProbe @event, CancellationToken cancellationToken)
        {
            var activity = Activity.Current;
            handled.Received.TrySetResult(new Consumed(@event.EventId, activity?.TraceId ?? default, activity?.ParentSpanId ?? default));
            return Task.CompletedTask;
        }
    }
}
