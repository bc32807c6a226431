using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.IntegrationTests.EventBus;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>The relay between this database's outbox and the test run's real RabbitMQ.</summary>
public class OutboxRelayTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // A routing key of this test's own, so events of other tests on the shared broker never reach its queue.
    private readonly string _eventType = "RelayProbe" + Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private NpgsqlDataSource _dataSource = null!;
    private IConnection _consumerConnection = null!;
    private TenantRows _tenant = null!;
    private Uri _rabbit = null!;
    private readonly List<EventBusServices> _buses = [];

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        _tenant = await TenantRows.InsertAsync(database.OwnerConnectionString, "relay");
        _rabbit = new Uri(await TestServers.Shared.GetRabbitMQConnectionStringAsync());

        _consumerConnection = await new ConnectionFactory { Uri = _rabbit }.CreateConnectionAsync();
        var channel = await _consumerConnection.CreateChannelAsync();
        await EventBusTopology.DeclareAsync(channel, CancellationToken.None);
        var queue = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, EventBusNames.Exchange, _eventType);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, args) =>
        {
            var tenant = args.BasicProperties.Headers?[EventBusNames.TenantHeader] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
            _deliveries.Writer.TryWrite(new Delivery(args.RoutingKey, args.BasicProperties.MessageId, args.BasicProperties.CorrelationId,
                args.BasicProperties.Type, args.BasicProperties.ContentType, args.BasicProperties.Persistent, tenant, Encoding.UTF8.GetString(args.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
    }

    public async Task DisposeAsync()
    {
        await _consumerConnection.DisposeAsync();
        foreach (var bus in _buses)
        {
            await bus.DisposeAsync();
        }

        await _dataSource.DisposeAsync();
        await _services.DisposeAsync();
    }

    private OutboxRelay Relay(Uri rabbit, TimeSpan pollInterval)
    {
        var bus = new EventBusServices(rabbit);
        _buses.Add(bus);
        return new(
            _dataSource,
            bus.Connection,
            Options.Create(new OutboxRelayOptions { PollInterval = pollInterval, BatchSize = 10 }),
            new OutboxMetrics(_services.GetRequiredService<IMeterFactory>()),
            NullLogger<OutboxRelay>.Instance);
    }

    [Fact]
    public async Task Committed_rows_are_published_with_their_metadata_at_once_and_marked_published()
    {
        // Polling only every five minutes: within the test's timeout only the insert notification can wake the relay.
        var relay = Relay(_rabbit, TimeSpan.FromMinutes(5));
        await relay.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => IsListeningAsync(), Timeout, "the relay to LISTEN");

            var ids = await WriteEventsAsync(3, correlationId: "corr-relay-1");

            var deliveries = await ReceiveAsync(3);
            Assert.Equal(ids.Order(), deliveries.Select(d => Guid.Parse(d.MessageId!)).Order());
            foreach (var delivery in deliveries)
            {
                Assert.Equal(_eventType, delivery.RoutingKey);
                Assert.Equal(_eventType, delivery.Type);
                Assert.Equal("corr-relay-1", delivery.CorrelationId);
                Assert.Equal("application/json", delivery.ContentType);
                Assert.True(delivery.Persistent);
                Assert.Equal(_tenant.TenantId.ToString(), delivery.TenantId);
                Assert.Equal(delivery.MessageId, JsonDocument.Parse(delivery.Body).RootElement.GetProperty("id").GetString());
            }
            await Eventually.TrueAsync(async () => await CountAsync("published_at IS NOT NULL AND locked_until IS NULL") == 3, Timeout, "rows marked published");
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Rows_wait_while_RabbitMQ_is_unreachable_and_go_out_when_it_is_back()
    {
        await using var proxy = new TcpProxy(_rabbit.Host, _rabbit.Port);
        var throughProxy = new UriBuilder(_rabbit) { Host = "127.0.0.1", Port = proxy.Port }.Uri;
        var relay = Relay(throughProxy, TimeSpan.FromMilliseconds(200));
        await relay.StartAsync(CancellationToken.None);
        try
        {
            await WriteEventsAsync(1, "corr-before");
            await ReceiveAsync(1);

            proxy.Stop();
            var waiting = await WriteEventsAsync(2, "corr-outage");
            await Eventually.TrueAsync(async () => await CountAsync("published_at IS NULL AND attempts > 0 AND last_error IS NOT NULL") == 2,
                Timeout, "the relay to try, fail and release the rows");
            Assert.False(_deliveries.Reader.TryRead(out _));

            proxy.Start();
            var deliveries = await ReceiveAsync(2);
            Assert.Equal(waiting.Order(), deliveries.Select(d => Guid.Parse(d.MessageId!)).Order());
            Assert.All(deliveries, d => Assert.Equal("corr-outage", d.CorrelationId));
            await Eventually.TrueAsync(async () => await CountAsync("published_at IS NULL") == 0, Timeout, "every row marked published");
            Assert.False(relay.ExecuteTask!.IsCompleted, "the relay stopped working");
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Relays_running_side_by_side_publish_each_row_once()
    {
        var ids = await WriteEventsAsync(60, "corr-many");
        var relays = new[] { Relay(_rabbit, TimeSpan.FromMilliseconds(100)), Relay(_rabbit, TimeSpan.FromMilliseconds(100)) };
        foreach (var relay in relays)
        {
            await relay.StartAsync(CancellationToken.None);
        }

        try
        {
            await Eventually.TrueAsync(async () => await CountAsync("published_at IS NULL") == 0, Timeout, "every row marked published");
        }
        finally
        {
            foreach (var relay in relays)
            {
                await relay.StopAsync(CancellationToken.None);
            }
        }

        var deliveries = await ReceiveAsync(60);
        Assert.Equal(ids.Order(), deliveries.Select(d => Guid.Parse(d.MessageId!)).Order());
        Assert.Equal(1, await ScalarAsync<int>("SELECT max(attempts) FROM outbox_messages WHERE event_type = @type"));
    }

    /// <summary>Writes events as a service does: the app role, the tenant set, one transaction.</summary>
    private async Task<List<Guid>> WriteEventsAsync(int count, string correlationId)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToList();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await TenantSetting.ApplyAsync(connection, transaction, _tenant.TenantId, isLocal: true, CancellationToken.None);
        foreach (var id in ids)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO outbox_messages (id, tenant_id, event_type, payload, correlation_id) VALUES ($1, $2, $3, $4::jsonb, $5)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = _tenant.TenantId });
            insert.Parameters.Add(new NpgsqlParameter { Value = _eventType });
            insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new { id }) });
            insert.Parameters.Add(new NpgsqlParameter { Value = correlationId });
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return ids;
    }

    private async Task<List<Delivery>> ReceiveAsync(int count)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var deliveries = new List<Delivery>();
        try
        {
            while (deliveries.Count < count)
            {
                deliveries.Add(await _deliveries.Reader.ReadAsync(timeout.Token));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Received {deliveries.Count} of {count} messages within {Timeout.TotalSeconds:0} s.");
        }
        return deliveries;
    }

    private async Task<bool> IsListeningAsync()
        => await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN outbox_messages'") > 0;

    private Task<long> CountAsync(string condition) => ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE event_type = @type AND {condition}");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        command.Parameters.AddWithValue("type", _eventType);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Delivery(string RoutingKey, string? MessageId, string? CorrelationId, string? Type, string? ContentType, bool Persistent,
        string? TenantId, string Body);
}
