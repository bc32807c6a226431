using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Secrets;
using SaasAssistants.EventBus;
using SaasAssistants.Testing;

namespace SaasAssistants.Bench.ConversationEngine;

/// <summary>
/// One scenario's world: a database and a RabbitMQ virtual host of its own on the run's servers (tests/Testing), a tenant
/// with a web channel, real MessageProcessor processes, a publisher that sends InboundMessageReceived as the Gateway's
/// outbox relay does, and a listener that timestamps every AiResponseGenerated as the Gateway would receive it.
/// </summary>
public sealed class EngineRig : IAsyncDisposable
{
    // MessageProcessor's durable queue (ApplicationServiceExtensions.InboundMessagesQueue), declared before the workers
    // start so nothing published early is lost.
    private const string InboundQueue = "message-processor.inbound-messages";

    private readonly List<ServiceProcess> _processes = [];
    private readonly string _bufferKey = "bench:replies:due:" + Guid.NewGuid().ToString("N");
    private IConnection _rabbit = null!;
    private IChannel _publisher = null!;
    private IChannel _listener = null!;
    private readonly SemaphoreSlim _publishLock = new(1, 1);

    private EngineRig(TestDatabase database, RabbitMQVirtualHost messaging)
    {
        Database = database;
        Messaging = messaging;
    }

    public TestDatabase Database { get; }

    public RabbitMQVirtualHost Messaging { get; }

    public Guid TenantId { get; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; } = Guid.CreateVersion7();

    public Guid ChannelId { get; } = Guid.CreateVersion7();

    /// <summary>The web channel's public token, the one the widget posts to.</summary>
    public string ChannelToken { get; } = "wc_" + Guid.NewGuid().ToString("N");

    /// <summary>Every reply received: conversation, task-independent message id, when it arrived (Stopwatch ticks, and wall clock).</summary>
    public ConcurrentQueue<(Guid ConversationId, Guid MessageId, long ReceivedAt, DateTimeOffset ReceivedAtUtc)> Replies { get; } = new();

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public static async Task<EngineRig> CreateAsync(int bufferTimeoutMs)
    {
        var rig = new EngineRig(await TestDatabase.CreateAsync(), await RabbitMQVirtualHost.CreateAsync());
        await rig.InitializeAsync(bufferTimeoutMs);
        return rig;
    }

    private async Task InitializeAsync(int bufferTimeoutMs)
    {
        var assistantId = Guid.CreateVersion7();
        await using (var connection = new NpgsqlConnection(Database.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                INSERT INTO tenants (id, name, plan) VALUES (@tenant, 'Bench Bakery', 'enterprise');
                INSERT INTO workspaces (id, tenant_id, name) VALUES (@workspace, @tenant, 'Main');
                INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt, greeting, buffer_timeout_ms)
                    VALUES (@assistant, @tenant, @workspace, 'Assistant', 'You answer the customers of Bench Bakery.', 'Hi!', @buffer);
                INSERT INTO channels (id, tenant_id, workspace_id, assistant_id, type, name, public_token, secret_encrypted)
                    VALUES (@channel, @tenant, @workspace, @assistant, 'web', 'Site', @token, @secret);
                """, connection);
            command.Parameters.AddWithValue("tenant", TenantId);
            command.Parameters.AddWithValue("workspace", WorkspaceId);
            command.Parameters.AddWithValue("assistant", assistantId);
            command.Parameters.AddWithValue("channel", ChannelId);
            command.Parameters.AddWithValue("buffer", bufferTimeoutMs);
            command.Parameters.AddWithValue("token", ChannelToken);
            // The Gateway signs widget sessions with the channel's own secret, so it must decrypt.
            command.Parameters.AddWithValue("secret", new SecretProtector(Database.EncryptionKey).Protect(TestSecrets.RandomUrlSafe(32)));
            await command.ExecuteNonQueryAsync();
        }

        _rabbit = await new ConnectionFactory { Uri = new Uri(Messaging.ConnectionString) }.CreateConnectionAsync();
        _publisher = await _rabbit.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        _listener = await _rabbit.CreateChannelAsync();
        await EventBusTopology.DeclareAsync(_publisher, CancellationToken.None);
        await EventBusTopology.DeclareQueueAsync(_publisher, InboundQueue, EventQueueKind.Durable, nameof(InboundMessageReceived), CancellationToken.None);
        var replies = await EventBusTopology.DeclareQueueAsync(_listener, string.Empty, EventQueueKind.PerInstance, nameof(AiResponseGenerated), CancellationToken.None);
        var consumer = new AsyncEventingBasicConsumer(_listener);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var receivedAt = Stopwatch.GetTimestamp();
            var receivedAtUtc = DateTimeOffset.UtcNow;
            var reply = JsonSerializer.Deserialize<AiResponseGenerated>(delivery.Body.Span, ContractJson.Options)!;
            Replies.Enqueue((reply.ConversationId, reply.MessageId, receivedAt, receivedAtUtc));
            return Task.CompletedTask;
        };
        await _listener.BasicConsumeAsync(replies, autoAck: true, consumer);
    }

    /// <summary>Starts one more MessageProcessor process on this world (Release build output, product settings).</summary>
    public async Task<ServiceProcess> StartProcessorAsync()
    {
        var process = await ServiceProcess.StartAsync("MessageProcessor", new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = Database.AppConnectionString,
            ["ConnectionStrings:messaging"] = Messaging.ConnectionString,
            ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync(),
            ["Buffering:Key"] = _bufferKey,
            ["Secrets:EncryptionKey"] = Database.EncryptionKey,
            // Benchmarks measure the product, not its console: warnings only.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }, TimeSpan.FromSeconds(120));
        _processes.Add(process);
        return process;
    }

    /// <summary>
    /// Starts a Gateway process on this world (Release build output, Production settings, as bench/GatewayIntake starts
    /// it), so messages can come in through the widget's webhook and its outbox relay.
    /// </summary>
    public async Task<ServiceProcess> StartGatewayAsync()
    {
        var process = await ServiceProcess.StartAsync("Gateway", new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings:saas"] = Database.AppConnectionString,
            ["ConnectionStrings:messaging"] = Messaging.ConnectionString,
            ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync(),
            ["Secrets:EncryptionKey"] = Database.EncryptionKey,
            // The limit is not what is measured here: one tenant sends everything.
            ["RateLimits:Plans:enterprise:PerMinute"] = "100000000",
            ["RateLimits:Plans:enterprise:PerDay"] = "100000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }, TimeSpan.FromSeconds(120));
        _processes.Add(process);
        return process;
    }

    /// <summary>kill -9: no handler, no graceful release of leases or unacked deliveries.</summary>
    public void Kill(ServiceProcess process) => Process.GetProcessById(process.Pid).Kill();

    /// <summary>A visitor's message, as the Gateway's relay publishes it: persistent, confirmed, message id = event id.</summary>
    public Task PublishAsync(string visitor, string text) => PublishBurstAsync(visitor, [text]);

    /// <summary>A visitor's messages, one after the other in the queue with nobody else's in between.</summary>
    public async Task PublishBurstAsync(string visitor, IReadOnlyList<string> texts)
    {
        // One channel, publishes serialized: a channel is not safe for concurrent publishes.
        await _publishLock.WaitAsync();
        try
        {
            foreach (var text in texts)
            {
                await PublishOneAsync(visitor, text);
            }
        }
        finally
        {
            _publishLock.Release();
        }
    }

    private async Task PublishOneAsync(string visitor, string text)
    {
        var evt = new InboundMessageReceived
        {
            TenantId = TenantId,
            WebhookEventId = Guid.CreateVersion7(),
            WorkspaceId = WorkspaceId,
            ChannelId = ChannelId,
            ChannelType = ChannelType.Web,
            ExternalContactId = visitor,
            ChannelMessageId = "wm_" + Guid.NewGuid().ToString("N"),
            Content = MessageContent.FromText(text),
            SentAt = DateTimeOffset.UtcNow,
        };
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = evt.EventId.ToString(),
            ContentType = "application/json",
            Type = evt.EventName,
            Headers = new Dictionary<string, object?> { [EventBusNames.TenantHeader] = evt.TenantId.ToString() },
        };
        await _publisher.BasicPublishAsync(EventBusNames.Exchange, evt.EventName, mandatory: false, properties,
            JsonSerializer.SerializeToUtf8Bytes(evt, ContractJson.Options));
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", TenantId);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<double>> DoublesAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", TenantId);
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetDouble(0));
        }

        return values;
    }

    /// <summary>Polls until <paramref name="done"/> holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> WaitForAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await done())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await done();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _rabbit.DisposeAsync();
        await Messaging.DisposeAsync();
        await Database.DisposeAsync();
    }
}
