using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.Versioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Diagnostics;
using MessageProcessorServices = SaasAssistants.MessageProcessor.Extensions.ApplicationServiceExtensions;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

/// <summary>
/// The handler as the consumer runs it (resolved from a fresh scope of the service's own registrations, one per
/// message) against a migrated database, connected as the services' role under row level security.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InboundMessageHandlerTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private IHost _host = null!;
    private TenantChannel _tenant = null!;
    private TenantChannel _otherTenant = null!;
    private StoredRows _rows = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = database.AppConnectionString,
            // The consumer and the outbox relay are hosted services; this host is never started, so no broker is reached.
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1",
            ["Secrets:EncryptionKey"] = database.EncryptionKey,
        });
        // Through an alias: the other services' project references bring their AddApplicationServices into scope too.
        MessageProcessorServices.AddApplicationServices(builder);
        _host = builder.Build();

        _tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Padaria Pão Quente");
        _otherTenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Other Bakery");
        _rows = new StoredRows(database.OwnerConnectionString, _tenant.TenantId);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task HandleAsync(InboundMessageReceived evt)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
    }

    private static string Visitor() => "visitor-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_first_message_stores_contact_conversation_message_and_reply_and_queues_three_events()
    {
        var visitor = Visitor();
        var evt = _tenant.Inbound(visitor, "Oi! Qual o horário de funcionamento?", visitorName: "Maria");

        await HandleAsync(evt);

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        Assert.Equal(("Maria", _tenant.ChannelId), (contact.DisplayName, contact.ChannelId));
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        Assert.Equal(("open", _tenant.AssistantId), (conversation.Status, conversation.AssistantId));

        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == conversation.Id).ToList();
        Assert.Equal(2, messages.Count);
        var (inbound, reply) = (messages[0], messages[1]);
        Assert.Equal(("inbound", "contact", evt.ChannelMessageId, "Oi! Qual o horário de funcionamento?", (string?)null),
            (inbound.Direction, inbound.Sender, inbound.ChannelMessageId, inbound.Text, inbound.Model));
        Assert.Equal(("outbound", "assistant", (string?)null, "local-responder"), (reply.Direction, reply.Sender, reply.ChannelMessageId, reply.Model));
        // The widget showed the greeting as it opened; the reply goes straight to the answer.
        Assert.StartsWith("Nossa equipe", reply.Text);
        Assert.Contains("horário de funcionamento", reply.Text);
        Assert.Equal(reply.CreatedAt, conversation.LastMessageAt);

        var events = (await _rows.OutboxAsync()).Where(e => e.Payload.Contains(conversation.Id.ToString())).ToList();
        Assert.Equal(["MessageAdded", "MessageAdded", "AiResponseGenerated"], events.Select(e => e.EventType));
        var inboundAdded = events[0].As<MessageAdded>();
        Assert.Equal((inbound.Id, MessageDirection.Inbound, inbound.CreatedAt), (inboundAdded.MessageId, inboundAdded.Direction, inboundAdded.CreatedAt));
        var replyAdded = events[1].As<MessageAdded>();
        Assert.Equal((reply.Id, MessageDirection.Outbound, reply.Text), (replyAdded.MessageId, replyAdded.Direction, replyAdded.Content.Text));
        var generated = events[2].As<AiResponseGenerated>();
        Assert.Equal((_tenant.TenantId, conversation.Id, reply.Id, _tenant.ChannelId, ChannelType.Web, visitor, "local-responder", reply.CreatedAt),
            (generated.TenantId, generated.ConversationId, generated.MessageId, generated.ChannelId, generated.ChannelType, generated.ExternalContactId,
             generated.Model, generated.CreatedAt));
        Assert.Equal(reply.Text, generated.Content.Text);
    }

    [Fact]
    public async Task A_whatsapp_reply_is_queued_for_delivery_by_a_message_send_task_committed_with_it()
    {
        var customer = "55119" + Random.Shared.Next(10_000_000, 99_999_999);

        await HandleAsync(_tenant.Inbound(customer, "Tem pão de queijo?") with { ChannelType = ChannelType.WhatsApp });

        var db = new SaasAssistants.IntegrationTests.Channels.OwnerQueries(database.OwnerConnectionString);
        var (replyId, status) = await db.SingleAsync("""
            SELECT m.id, m.delivery_status FROM messages m JOIN contacts c ON c.id = (SELECT contact_id FROM conversations WHERE id = m.conversation_id)
            WHERE c.external_id = $1 AND m.direction = 'outbound'
            """, r => (r.GetGuid(0), r.GetString(1)), customer);
        Assert.Equal("queued", status);
        var (taskStatus, taskId) = await db.SingleAsync("SELECT status, id FROM tasks WHERE type = 'message.send' AND payload->>'messageId' = $1",
            r => (r.GetString(0), r.GetGuid(1)), replyId.ToString());
        Assert.Equal("Queued", taskStatus);
        Assert.Single(await db.ListAsync("SELECT 1 FROM outbox_messages WHERE event_type = 'TaskQueued' AND payload->>'taskId' = $1", r => 1, taskId.ToString()));
    }

    [Fact]
    public async Task On_whatsapp_the_first_reply_greets_and_the_second_does_not()
    {
        var visitor = Visitor();

        await HandleAsync(_tenant.Inbound(visitor, "Oi, vocês abrem no domingo?") with { ChannelType = ChannelType.WhatsApp });
        await HandleAsync(_tenant.Inbound(visitor, "Quanto custa o bolo de cenoura?") with { ChannelType = ChannelType.WhatsApp });

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        var replies = (await _rows.MessagesAsync()).Where(m => m.ConversationId == conversation.Id && m.Direction == "outbound").ToList();
        Assert.Equal(2, replies.Count);
        Assert.StartsWith(_tenant.Greeting, replies[0].Text);
        Assert.Contains("horário de funcionamento", replies[0].Text);
        Assert.StartsWith("Posso ajudar com valores", replies[1].Text);
    }

    [Fact]
    public async Task On_the_web_an_assistant_without_a_greeting_greets_with_the_default_one()
    {
        // The widget shows nothing when there is no greeting, so the first reply has to greet.
        var plain = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Plain Bakery");
        await using (var owner = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var command = new NpgsqlCommand($"UPDATE assistants SET greeting = NULL WHERE id = '{plain.AssistantId}'", owner);
            await command.ExecuteNonQueryAsync();
        }
        var visitor = Visitor();

        await HandleAsync(plain.Inbound(visitor, "Oi"));

        var rows = new StoredRows(database.OwnerConnectionString, plain.TenantId);
        var reply = Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound");
        Assert.Equal("Olá! Obrigado por entrar em contato. Como posso ajudar você hoje?", reply.Text);
    }

    [Fact]
    public async Task The_same_message_again_changes_nothing()
    {
        var evt = _tenant.Inbound(Visitor(), "Vocês entregam em Niterói?");
        await HandleAsync(evt);
        var before = await TenantState.CaptureAsync(database.OwnerConnectionString, _tenant.TenantId);

        await HandleAsync(evt);
        // The Gateway's duplicate webhook: a new event for the same channel message.
        await HandleAsync(evt with { EventId = Guid.CreateVersion7(), WebhookEventId = Guid.CreateVersion7(), ContactName = "Renamed" });

        Assert.Equal(before, await TenantState.CaptureAsync(database.OwnerConnectionString, _tenant.TenantId));
    }

    [Fact]
    public async Task Messages_of_one_contact_land_in_its_open_conversation()
    {
        var visitor = Visitor();

        await HandleAsync(_tenant.Inbound(visitor, "Oi", visitorName: "Jo"));
        await HandleAsync(_tenant.Inbound(visitor, "Quanto custa o bolo de cenoura?", visitorName: "Joana"));

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        Assert.Equal("Joana", contact.DisplayName);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == conversation.Id).ToList();
        Assert.Equal(["inbound", "outbound", "inbound", "outbound"], messages.Select(m => m.Direction));
        Assert.Equal("Como posso ajudar você hoje?", messages[1].Text);
        Assert.StartsWith("Posso ajudar com valores", messages[3].Text);
        Assert.Equal(messages[3].CreatedAt, conversation.LastMessageAt);
    }

    [Fact]
    public async Task Concurrent_first_messages_of_a_new_contact_open_a_single_conversation()
    {
        var visitor = Visitor();

        await Task.WhenAll(HandleAsync(_tenant.Inbound(visitor, "Oi")), HandleAsync(_tenant.Inbound(visitor, "Tem pão de queijo?")));

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        Assert.Equal(4, (await _rows.MessagesAsync()).Count(m => m.ConversationId == conversation.Id));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_message_store_and_answer_it_once()
    {
        var evt = _tenant.Inbound(Visitor(), "Vocês abrem no domingo?");

        await Task.WhenAll(HandleAsync(evt), HandleAsync(evt), HandleAsync(evt));

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == evt.ExternalContactId);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        Assert.Equal(2, (await _rows.MessagesAsync()).Count(m => m.ConversationId == conversation.Id));
        Assert.Equal(3, (await _rows.OutboxAsync()).Count(e => e.Payload.Contains(conversation.Id.ToString())));
    }

    [Fact]
    public async Task Another_tenants_data_is_untouched_and_invisible()
    {
        // Both tenants have a visitor with the same id and a message with the same channel message id.
        var visitor = Visitor();
        var theirs = _otherTenant.Inbound(visitor, "Hello, are you open today?");
        await HandleAsync(theirs);
        var otherBefore = await TenantState.CaptureAsync(database.OwnerConnectionString, _otherTenant.TenantId);

        await HandleAsync(_tenant.Inbound(visitor, "Oi, tudo bem?") with { ChannelMessageId = theirs.ChannelMessageId });

        Assert.Equal(otherBefore, await TenantState.CaptureAsync(database.OwnerConnectionString, _otherTenant.TenantId));
        var mine = await TenantState.CaptureAsync(database.OwnerConnectionString, _tenant.TenantId);
        await using var scope = _host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(_tenant.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        // Without EF's filters, row level security alone still shows this tenant's rows only.
        Assert.Equal(mine["messages"], await db.Messages.IgnoreQueryFilters().CountAsync());
        Assert.Equal(mine["contacts"], await db.Contacts.IgnoreQueryFilters().CountAsync());
        Assert.Equal(mine["outbox_messages"], await db.OutboxMessages.IgnoreQueryFilters().CountAsync());
        Assert.DoesNotContain(await db.Conversations.IgnoreQueryFilters().Select(c => c.TenantId).ToListAsync(), t => t != _tenant.TenantId);
    }

    [Fact]
    public async Task An_event_naming_another_tenants_channel_is_refused_and_writes_nothing()
    {
        var mineBefore = await TenantState.CaptureAsync(database.OwnerConnectionString, _tenant.TenantId);
        var otherBefore = await TenantState.CaptureAsync(database.OwnerConnectionString, _otherTenant.TenantId);

        await Assert.ThrowsAsync<InvalidOperationException>(() => HandleAsync(_tenant.Inbound(Visitor(), "Oi") with { ChannelId = _otherTenant.ChannelId }));

        Assert.Equal(mineBefore, await TenantState.CaptureAsync(database.OwnerConnectionString, _tenant.TenantId));
        Assert.Equal(otherBefore, await TenantState.CaptureAsync(database.OwnerConnectionString, _otherTenant.TenantId));
    }

    [Fact]
    public async Task A_channel_without_an_assistant_stores_the_message_for_an_agent_without_replying()
    {
        var agentsOnly = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Agents Only", withAssistant: false);
        var rows = new StoredRows(database.OwnerConnectionString, agentsOnly.TenantId);

        await HandleAsync(agentsOnly.Inbound(Visitor(), "Oi"));

        var message = Assert.Single(await rows.MessagesAsync());
        Assert.Equal("inbound", message.Direction);
        Assert.Null(Assert.Single(await rows.ConversationsAsync()).AssistantId);
        Assert.Equal("MessageAdded", Assert.Single(await rows.OutboxAsync()).EventType);
    }

    [Fact]
    public async Task Processed_messages_duplicates_and_reply_latency_are_measured()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, object? Tag)>();
        using var listener = new MeterListener();
        // Only this host's meter: other hosts in the test run create meters of the same name.
        var meterFactory = _host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MessageProcessorMetrics.MeterName && instrument.Meter.Scope == meterFactory)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => measurements.Enqueue((i.Name, value, tags.ToArray().FirstOrDefault().Value)));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => measurements.Enqueue((i.Name, value, tags.ToArray().FirstOrDefault().Value)));
        listener.Start();
        var evt = _tenant.Inbound(Visitor(), "Oi");

        await HandleAsync(evt);
        await HandleAsync(evt);

        Assert.Equal(("saas.messages.processed", 1d, (object?)"Web"), Assert.Single(measurements, m => m.Instrument == "saas.messages.processed"));
        Assert.Equal(("saas.messages.duplicates_skipped", 1d, (object?)"Web"), Assert.Single(measurements, m => m.Instrument == "saas.messages.duplicates_skipped"));
        var latency = Assert.Single(measurements, m => m.Instrument == "saas.reply.duration");
        Assert.Equal("local-responder", latency.Tag);
        Assert.InRange(latency.Value, 0, 10);
    }
}
