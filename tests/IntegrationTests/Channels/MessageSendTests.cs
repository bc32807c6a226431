using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Channels;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// message.send through the real task engine and Graph API client, against the channel simulator over real HTTP, with
/// the simulator's statuses coming back through the real Gateway (on a real port) to the message's delivery state.
/// </summary>
[Collection(TaskEngineCollection.Name)]
public sealed class MessageSendTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private GatewayFactory _gateway = null!;
    private SimulatorServer _simulator = null!;
    private TaskEngineHost _engine = null!;
    private MetaChannel _whatsApp = null!;
    private MetaChannel _instagram = null!;
    private MetaChannel _twilio = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _db = new OwnerQueries(fixture.Database.OwnerConnectionString);
        _whatsApp = await MetaChannel.InsertAsync(fixture.Database.OwnerConnectionString, fixture.Database.EncryptionKey, "whatsapp");
        _instagram = await MetaChannel.InsertAsync(fixture.Database.OwnerConnectionString, fixture.Database.EncryptionKey, "instagram");
        _twilio = await MetaChannel.InsertAsync(fixture.Database.OwnerConnectionString, fixture.Database.EncryptionKey, "whatsapp", "twilio",
            externalId: "whatsapp:+14155238886", providerAccountId: SimulatorServer.TwilioAccountSid);
        _gateway = await GatewayFactory.CreateAsync(fixture.Database);
        // An explicit listener, not UseKestrel(0): with a port, WebApplicationFactory rewrites the server's addresses while a
        // minimal app's Kestrel may already be binding them, and loses that race now and then (dotnet/aspnetcore#67714).
        _gateway.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _gateway.StartServer();
        var gatewayAddress = _gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _simulator = await SimulatorServer.StartAsync(new Uri(gatewayAddress + "/"), _whatsApp, _instagram, _twilio);
        _engine = await TaskEngineHost.StartAsync(fixture, new ExecutionLog(), new Dictionary<string, string?>
        {
            ["Channels:GraphBaseUrl"] = _simulator.Address.ToString(),
            ["Channels:GraphVersion"] = "v23.0",
            ["Channels:TwilioBaseUrl"] = _simulator.Address.ToString(),
        }, builder => builder.AddChannelSending());
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _simulator.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task A_whatsapp_reply_goes_out_in_the_cloud_api_wire_format_its_wamid_is_stored_and_statuses_bring_it_to_read()
    {
        const string customer = "5511987650001";
        // The customer writes first, through the simulator: a signed webhook the Gateway accepts.
        var played = await _simulator.Http.PostAsJsonAsync("simulator/whatsapp/messages", new { from = customer, name = "Maria", text = "Oi!" });
        Assert.Equal(200, (await played.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gatewayStatus").GetInt32());
        var message = await ArrangeReplyAsync(_whatsApp, customer, "Olá Maria, como posso ajudar?", lastInboundAgo: TimeSpan.FromMinutes(1));

        var task = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_whatsApp, task);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_whatsApp.TenantId, task)).Status);
        var send = Assert.Single(await _simulator.SendsAsync(), s => s.To == customer);
        Assert.Equal($"Bearer {_whatsApp.AccessToken}", send.Authorization);
        var body = JsonDocument.Parse(send.Body).RootElement;
        Assert.Equal(("whatsapp", customer, "text", "Olá Maria, como posso ajudar?"),
            (body.GetProperty("messaging_product").GetString(), body.GetProperty("to").GetString(), body.GetProperty("type").GetString(),
             body.GetProperty("text").GetProperty("body").GetString()));
        Assert.Equal(send.MessageId, await _db.SingleAsync("SELECT channel_message_id FROM messages WHERE id = $1", r => r.GetString(0), message));
        await Wait.UntilAsync(async () => await DeliveryStatusAsync(message) == "read", Timeout, "the statuses to reach read");
    }

    [Fact]
    public async Task A_send_meta_accepts_and_then_fails_with_131047_ends_failed_with_that_code()
    {
        // Our records say the customer wrote a minute ago; Meta's side (the simulator) never heard from them, so, as Meta
        // does, it accepts the free-form send with a wamid and then reports it failed with 131047 (re-engagement).
        const string customer = "5511987650009";
        var message = await ArrangeReplyAsync(_whatsApp, customer, "Posso ajudar em algo mais?", lastInboundAgo: TimeSpan.FromMinutes(1));

        var task = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_whatsApp, task);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_whatsApp.TenantId, task)).Status);
        await Wait.UntilAsync(async () => await DeliveryStatusAsync(message) == "failed", Timeout, "Meta's failed status to arrive");
        Assert.Equal(("failed", (string?)"131047"), await DeliveryAsync(message));
    }

    [Fact]
    public async Task Outside_the_24_hour_window_free_form_is_refused_before_sending_and_a_template_goes_out()
    {
        const string customer = "5511987650002";
        var freeForm = await ArrangeReplyAsync(_whatsApp, customer, "Ainda quer o pedido?", lastInboundAgo: TimeSpan.FromHours(25));

        var refused = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{freeForm}}"}""");
        await UntilEndedAsync(_whatsApp, refused);

        var attempt = Assert.Single(await fixture.AttemptsAsync(_whatsApp.TenantId, refused));
        Assert.Equal(ChannelSendException.OutsideServiceWindow, attempt.ErrorCode);
        Assert.Equal(("failed", ChannelSendException.OutsideServiceWindow), await DeliveryAsync(freeForm));
        Assert.DoesNotContain(await _simulator.SendsAsync(), s => s.To == customer);

        var template = await ArrangeReplyAsync(_whatsApp, customer, "Seu pedido 123 saiu para entrega", lastInboundAgo: null);
        var sent = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType,
            $$"""{"messageId":"{{template}}","template":{"name":"order_shipped","language":"pt_BR","parameters":["123"]} }""");
        await UntilEndedAsync(_whatsApp, sent);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_whatsApp.TenantId, sent)).Status);
        var body = JsonDocument.Parse(Assert.Single(await _simulator.SendsAsync(), s => s.To == customer).Body).RootElement;
        Assert.Equal("template", body.GetProperty("type").GetString());
        var templateJson = body.GetProperty("template");
        Assert.Equal(("order_shipped", "pt_BR", "123"), (templateJson.GetProperty("name").GetString(), templateJson.GetProperty("language").GetProperty("code").GetString(),
            templateJson.GetProperty("components")[0].GetProperty("parameters")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After_and_the_message_goes_out_once()
    {
        const string customer = "5511987650003";
        var message = await ArrangeReplyAsync(_whatsApp, customer, "Já verifico!", lastInboundAgo: TimeSpan.FromMinutes(1));
        var fault = await _simulator.Http.PostAsJsonAsync("simulator/faults", new { status = 429, code = 130429, message = "(#130429) Rate limit hit", retryAfterSeconds = 1 });
        fault.EnsureSuccessStatusCode();

        var task = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_whatsApp, task);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_whatsApp.TenantId, task)).Status);
        var attempts = (await fixture.AttemptsAsync(_whatsApp.TenantId, task)).OrderBy(a => a.AttemptNo).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal("130429", attempts[0].ErrorCode);
        Assert.True(attempts[1].StartedAt - attempts[0].EndedAt!.Value >= TimeSpan.FromSeconds(0.95),
            $"the retry started {(attempts[1].StartedAt - attempts[0].EndedAt!.Value).TotalMilliseconds} ms after the 429");
        Assert.Single(await _simulator.SendsAsync(), s => s.To == customer);
    }

    [Fact]
    public async Task Statuses_that_arrive_before_the_send_has_stored_its_wamid_are_kept_and_applied_when_it_does()
    {
        const string customer = "5511987650006";
        // The customer writes first, so the simulator (like Meta) delivers rather than fails the reply.
        var played = await _simulator.Http.PostAsJsonAsync("simulator/whatsapp/messages", new { from = customer, name = "Rita", text = "Oi!" });
        Assert.Equal(200, (await played.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gatewayStatus").GetInt32());
        var message = await ArrangeReplyAsync(_whatsApp, customer, "Chegou antes!", lastInboundAgo: TimeSpan.FromMinutes(1));
        // Meta's "sent", "delivered" and "read" reach the Gateway while our send still waits for its answer.
        (await _simulator.Http.PostAsync("simulator/statuses-first", null)).EnsureSuccessStatusCode();

        var task = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_whatsApp, task);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_whatsApp.TenantId, task)).Status);
        var send = Assert.Single(await _simulator.SendsAsync(), s => s.To == customer);
        // Applied by the send itself, not by a later webhook: nothing else is coming.
        Assert.Equal(("read", send.MessageId), await _db.SingleAsync("SELECT delivery_status, channel_message_id FROM messages WHERE id = $1",
            r => (r.GetString(0), r.GetString(1)), message));
        Assert.Empty(await _db.ListAsync("SELECT status FROM pending_delivery_updates WHERE channel_message_id = $1", r => r.GetString(0), send.MessageId));
    }

    [Fact]
    public async Task A_message_whose_id_is_already_stored_is_not_sent_again()
    {
        const string customer = "5511987650004";
        var message = await ArrangeReplyAsync(_whatsApp, customer, "Uma vez só", lastInboundAgo: TimeSpan.FromMinutes(1));
        await _db.ExecuteAsync("UPDATE messages SET channel_message_id = 'wamid.ALREADY', delivery_status = 'sent' WHERE id = $1", message);

        var task = await fixture.EnqueueAsync(_whatsApp.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_whatsApp, task);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_whatsApp.TenantId, task)).Status);
        Assert.DoesNotContain(await _simulator.SendsAsync(), s => s.To == customer);
    }

    [Fact]
    public async Task An_instagram_reply_goes_to_the_accounts_messages_endpoint_and_its_read_receipt_marks_it_read()
    {
        const string customer = "6372894720000001";
        var message = await ArrangeReplyAsync(_instagram, customer, "Temos sim, no 42!", lastInboundAgo: TimeSpan.FromMinutes(1));

        var task = await fixture.EnqueueAsync(_instagram.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_instagram, task);

        var send = Assert.Single(await _simulator.SendsAsync(), s => s.To == customer);
        Assert.Equal(_instagram.ExternalId, send.AccountId);
        var body = JsonDocument.Parse(send.Body).RootElement;
        Assert.Equal((customer, "Temos sim, no 42!"), (body.GetProperty("recipient").GetProperty("id").GetString(), body.GetProperty("message").GetProperty("text").GetString()));
        Assert.Equal(send.MessageId, await _db.SingleAsync("SELECT channel_message_id FROM messages WHERE id = $1", r => r.GetString(0), message));
        await Wait.UntilAsync(async () => await DeliveryStatusAsync(message) == "read", Timeout, "the read receipt");
    }

    [Fact]
    public async Task A_twilio_whatsapp_reply_goes_to_twilios_messages_api_and_its_status_callbacks_mark_it_read()
    {
        const string customer = "5511987650005";
        var message = await ArrangeReplyAsync(_twilio, customer, "Olá pelo Twilio!", lastInboundAgo: TimeSpan.FromMinutes(1));

        var task = await fixture.EnqueueAsync(_twilio.TenantId, MessageSendProcessor.TaskType, $$"""{"messageId":"{{message}}"}""");
        await UntilEndedAsync(_twilio, task);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_twilio.TenantId, task)).Status);
        var send = Assert.Single(await _simulator.SendsAsync(), s => s.To == customer);
        Assert.Equal("twilio", send.Channel);
        Assert.Contains("From=whatsapp%3A%2B14155238886", send.Body);
        Assert.Contains("Body=Ol%C3%A1%20pelo%20Twilio%21", send.Body);
        Assert.Matches("^SM[0-9a-f]{32}$", send.MessageId);
        Assert.Equal(send.MessageId, await _db.SingleAsync("SELECT channel_message_id FROM messages WHERE id = $1", r => r.GetString(0), message));
        await Wait.UntilAsync(async () => await DeliveryStatusAsync(message) == "read", Timeout, "Twilio's status callbacks to reach read");
    }

    /// <summary>A conversation whose customer last wrote <paramref name="lastInboundAgo"/> ago (never, when null), and a queued reply in it.</summary>
    private async Task<Guid> ArrangeReplyAsync(MetaChannel channel, string customer, string text, TimeSpan? lastInboundAgo)
    {
        var contact = Guid.CreateVersion7();
        var conversation = Guid.CreateVersion7();
        var reply = Guid.CreateVersion7();
        var content = JsonSerializer.Serialize(new { type = "text", text });
        await _db.ExecuteAsync("""
            INSERT INTO contacts (id, tenant_id, channel_id, external_id) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id, channel_id, external_id) DO NOTHING
            """, contact, channel.TenantId, channel.ChannelId, customer);
        contact = await _db.SingleAsync("SELECT id FROM contacts WHERE channel_id = $1 AND external_id = $2", r => r.GetGuid(0), channel.ChannelId, customer);
        await _db.ExecuteAsync("""
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id, contact_id) WHERE status = 'open' DO NOTHING
            """, conversation, channel.TenantId, channel.WorkspaceId, channel.ChannelId, contact);
        conversation = await _db.SingleAsync("SELECT id FROM conversations WHERE contact_id = $1 AND status = 'open'", r => r.GetGuid(0), contact);
        if (lastInboundAgo is { } ago)
        {
            await _db.ExecuteAsync("""
                INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, channel_message_id, content, created_at)
                VALUES ($1, $2, $3, $4, 'inbound', 'contact', $5, '{"type":"text","text":"Oi"}', now() - $6)
                """, Guid.CreateVersion7(), channel.TenantId, conversation, channel.ChannelId, "in_" + Guid.NewGuid().ToString("N"), ago);
        }

        await _db.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, delivery_status)
            VALUES ($1, $2, $3, $4, 'outbound', 'assistant', $5::jsonb, 'queued')
            """, reply, channel.TenantId, conversation, channel.ChannelId, content);
        return reply;
    }

    private Task UntilEndedAsync(MetaChannel channel, Guid task) =>
        Wait.UntilAsync(async () => (await fixture.TaskAsync(channel.TenantId, task)).IsEnded, Timeout, $"task {task} to end", () => _engine.Log.Tail(20));

    private async Task<string?> DeliveryStatusAsync(Guid message) => (await DeliveryAsync(message)).Status;

    private Task<(string? Status, string? Error)> DeliveryAsync(Guid message) => _db.SingleAsync(
        "SELECT delivery_status, delivery_error FROM messages WHERE id = $1", r => (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), message);
}
