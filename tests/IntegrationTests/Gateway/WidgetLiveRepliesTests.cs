using System.Net;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Gateway;

/// <summary>Replies published on the bus reach the visitor's Server-Sent Events stream, and only that visitor's.</summary>
public sealed class WidgetLiveRepliesTests(SeededTestDatabase database) : IClassFixture<SeededTestDatabase>, IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private WidgetClient _widget = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database, webhooksPerMinute: 3);
        _widget = new WidgetClient(_gateway.CreateClient(), database.Seed!.WebChannelToken);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_reply_on_the_bus_is_pushed_to_the_visitors_stream()
    {
        var visitor = await _widget.StartSessionAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = new SseReader(await _widget.OpenEventsAsync(visitor, timeout.Token));
        Assert.Equal("ready", (await stream.NextAsync(timeout.Token)).Event);

        // The Gateway binds its queue in the background after start: publish until the stream sees a reply.
        var factory = new ConnectionFactory { Uri = new Uri(await TestServers.Shared.GetRabbitMQConnectionStringAsync()) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var bus = await connection.CreateChannelAsync();
        await bus.ExchangeDeclareAsync(EventBusNames.Exchange, ExchangeType.Topic, durable: true);
        var sent = new HashSet<Guid>();
        var publishing = Task.Run(async () =>
        {
            while (!timeout.IsCancellationRequested)
            {
                sent.Add(await PublishReplyAsync(bus, visitor.SessionId));
                await Task.Delay(200, timeout.Token).ContinueWith(_ => { });
            }
        });
        SseEvent message;
        do
        {
            message = await stream.NextAsync(timeout.Token);
        }
        while (message.Event != "message");
        await timeout.CancelAsync();
        await publishing;

        var reply = JsonDocument.Parse(message.Data).RootElement;
        Assert.Contains(reply.GetProperty("id").GetGuid(), sent);
        Assert.Equal("outbound", reply.GetProperty("direction").GetString());
        Assert.Equal("We open at 8.", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_stream_refuses_a_forged_session()
    {
        var visitor = await _widget.StartSessionAsync();
        var response = await _widget.OpenEventsAsync(visitor with { SessionToken = "forged.token" }, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_tenant_over_its_per_minute_limit_gets_429_and_the_request_is_audited()
    {
        var session = await _widget.StartSessionAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await _widget.SendTextAsync(session, Guid.NewGuid().ToString(), $"message {i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        await using var connection = new Npgsql.NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM webhook_events WHERE rejection_reason = 'rate_limited'", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    private async Task<Guid> PublishReplyAsync(IChannel channel, string sessionId)
    {
        var reply = new AiResponseGenerated
        {
            TenantId = database.Seed!.TenantId,
            ConversationId = Guid.NewGuid(),
            MessageId = Guid.NewGuid(),
            ChannelId = await ScalarAsync<Guid>("SELECT id FROM channels WHERE public_token = $1", database.Seed.WebChannelToken),
            ChannelType = ChannelType.Web,
            ExternalContactId = sessionId,
            Content = MessageContent.FromText("We open at 8."),
            Model = "local-responder",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(reply, ContractJson.Options));
        await channel.BasicPublishAsync(EventBusNames.Exchange, nameof(AiResponseGenerated), mandatory: false,
            new BasicProperties { ContentType = "application/json", MessageId = reply.EventId.ToString() }, body);
        return reply.MessageId;
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
