using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Contracts.Events;
using SaasAssistants.IntegrationTests.ConversationEngine;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Replies;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using Xunit;
using static SaasAssistants.IntegrationTests.Channels.WhatsAppPayloads;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// At least once, never twice: Meta redelivers a message it thinks we missed, sometimes while the first delivery is
/// still in flight. The real Gateway audits and accepts every delivery; the MessageProcessor's handler, run
/// concurrently on every resulting event, stores one message and starts one reply.
/// </summary>
public sealed class DuplicateDeliveryTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private EngineHost _engine = null!;
    private MetaChannel _channel = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _engine = await EngineHost.CreateAsync(database);
        _channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        _db = new OwnerQueries(database.OwnerConnectionString);
        // Answered by an assistant with no reply buffer: the reply task starts with the message, in its transaction.
        var assistant = Guid.CreateVersion7();
        await _db.ExecuteAsync("""
            INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt, buffer_timeout_ms) VALUES ($1, $2, $3, 'Bot', 'Answer briefly.', 0)
            """, assistant, _channel.TenantId, _channel.WorkspaceId);
        await _db.ExecuteAsync("UPDATE channels SET assistant_id = $1 WHERE id = $2", assistant, _channel.ChannelId);
    }

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task The_same_wamid_delivered_concurrently_and_again_later_yields_one_message_and_one_reply()
    {
        var wamid = NewWamid();
        var body = Delivery(_channel.ExternalId, $$"""
            "contacts":[{{Contact("5511987651111", "Ana")}}],"messages":[{{Text("5511987651111", wamid, "Qual o horário de domingo?")}}]
            """);
        var http = _gateway.CreateClient();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(http, body)));
        var later = await PostAsync(http, body);

        Assert.All(concurrent.Append(later), status => Assert.Equal(HttpStatusCode.OK, status));
        // Every delivery is audited; each carries the message on, and the consumer is what deduplicates.
        Assert.Equal(7, (await _db.ListAsync("SELECT 1 FROM webhook_events WHERE status = 'accepted' AND payload LIKE '%' || $1 || '%'", r => 1, wamid)).Count);
        var events = await _db.ListAsync("SELECT payload::text FROM outbox_messages WHERE event_type = 'InboundMessageReceived' AND payload->>'channelMessageId' = $1",
            r => JsonSerializer.Deserialize<InboundMessageReceived>(r.GetString(0), SaasAssistants.Contracts.ContractJson.Options)!, wamid);
        Assert.Equal(7, events.Count);

        // As the queue's consumers would, several at once.
        await Task.WhenAll(events.Select(evt => Task.Run(async () =>
        {
            await using var scope = _engine.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
        })));

        var rows = new StoredRows(database.OwnerConnectionString, _channel.TenantId);
        var inbound = Assert.Single(await rows.MessagesAsync(), m => m.ChannelMessageId == wamid);
        var reply = Assert.Single(await rows.TasksAsync(AiReplyProcessor.TaskType));
        Assert.Equal(reply.Id, inbound.TaskId);
        Assert.Single(await rows.ConversationsAsync());

        // The one reply task answers once; the answer goes out through one message.send.
        await RunAsync(reply);
        Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound");
        Assert.Single(await rows.TasksAsync("message.send"));
    }

    private async Task RunAsync(StoredTask task)
    {
        await using var scope = _engine.TenantScope(_channel.TenantId);
        var processor = scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == task.Type);
        using var payload = JsonDocument.Parse(task.Payload);
        await processor.ProcessAsync(new TaskExecution
        {
            TaskId = task.Id, TenantId = _channel.TenantId, Type = task.Type, Attempt = 1, MaxAttempts = 3,
            Payload = payload.RootElement, Services = scope.ServiceProvider,
        }, CancellationToken.None);
    }

    private async Task<HttpStatusCode> PostAsync(HttpClient http, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{_channel.ChannelKey}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", _channel.Sign(bytes));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
