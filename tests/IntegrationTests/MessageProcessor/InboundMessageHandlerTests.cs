using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.Versioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.ConversationEngine;
using SaasAssistants.MessageProcessor.Buffering;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Diagnostics;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

/// <summary>
/// The handler as the consumer runs it (resolved from a fresh scope of the service's own registrations, one per
/// message) against a migrated database, connected as the services' role under row level security, and the real
/// Redis. Store first: the handler stores and schedules, and never answers.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InboundMessageHandlerTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private EngineHost _host = null!;
    private TenantChannel _tenant = null!;
    private TenantChannel _otherTenant = null!;
    private StoredRows _rows = null!;

    public async Task InitializeAsync()
    {
        _host = await EngineHost.CreateAsync(database);
        _tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Padaria Pão Quente");
        _otherTenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Other Bakery");
        _rows = new StoredRows(database.OwnerConnectionString, _tenant.TenantId);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private ReplyBuffer Buffer => _host.Services.GetRequiredService<ReplyBuffer>();

    private async Task HandleAsync(InboundMessageReceived evt)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
    }

    private static string Visitor() => "visitor-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_first_message_is_stored_announced_and_scheduled_and_nothing_answers_it_inline()
    {
        var visitor = Visitor();
        var evt = _tenant.Inbound(visitor, "Oi! Qual o horário de funcionamento?", visitorName: "Maria");
        var before = DateTimeOffset.UtcNow;

        await HandleAsync(evt);

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        Assert.Equal(("Maria", _tenant.ChannelId), (contact.DisplayName, contact.ChannelId));
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        Assert.Equal(("open", "PENDING", "assistant", _tenant.AssistantId, (Guid?)null),
            (conversation.Status, conversation.State, conversation.Handoff, conversation.AssistantId, conversation.ReplyTaskId));

        var inbound = Assert.Single(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id);
        Assert.Equal(("inbound", "contact", evt.ChannelMessageId, "Oi! Qual o horário de funcionamento?", (Guid?)null),
            (inbound.Direction, inbound.Sender, inbound.ChannelMessageId, inbound.Text, inbound.TaskId));
        Assert.Empty(await _rows.TasksAsync());

        var events = (await _rows.OutboxAsync()).Where(e => e.Payload.Contains(conversation.Id.ToString())).ToList();
        Assert.Equal(["MessageAdded", "ConversationStateChanged"], events.Select(e => e.EventType));
        Assert.Equal((inbound.Id, MessageDirection.Inbound), (events[0].As<MessageAdded>().MessageId, events[0].As<MessageAdded>().Direction));
        var opened = events[1].As<ConversationStateChanged>();
        Assert.Equal(((string?)null, "PENDING"), (opened.From, opened.To));

        // The buffer's timer: due the assistant's 3 s after the message's stored time (not after the handler's commit,
        // which would make every flush late by the handler's own duration).
        var due = await Buffer.DueAtAsync(new ConversationKey(_tenant.TenantId, conversation.Id));
        Assert.NotNull(due);
        Assert.Equal(inbound.CreatedAt.AddMilliseconds(3000).ToUnixTimeMilliseconds(), due.Value.ToUnixTimeMilliseconds());
        Assert.InRange(due.Value, before.AddMilliseconds(2900), DateTimeOffset.UtcNow.AddMilliseconds(3100));
    }

    [Fact]
    public async Task Each_message_of_a_burst_pushes_the_timer_back()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "Oi"));
        var contact = Assert.Single(await _rows.ContactsAsync(), x => x.ExternalId == visitor);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        var key = new ConversationKey(_tenant.TenantId, conversation.Id);
        var first = await Buffer.DueAtAsync(key);
        await Task.Delay(50);

        await HandleAsync(_tenant.Inbound(visitor, "Tem pão de queijo?"));

        Assert.True(await Buffer.DueAtAsync(key) > first);
    }

    [Fact]
    public async Task With_a_buffer_of_zero_the_reply_task_is_created_with_the_message()
    {
        var immediate = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Immediate Bakery", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, immediate.TenantId);

        await HandleAsync(immediate.Inbound(Visitor(), "Oi"));

        var task = Assert.Single(await rows.TasksAsync());
        Assert.Equal(("ai.reply", "Queued"), (task.Type, task.Status));
        Assert.Equal(task.Id, Assert.Single(await rows.MessagesAsync()).TaskId);
        Assert.Equal(task.Id, Assert.Single(await rows.ConversationsAsync()).ReplyTaskId);
        Assert.Contains("TaskQueued", (await rows.OutboxAsync()).Select(e => e.EventType));
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
        Assert.Equal(["inbound", "inbound"], messages.Select(m => m.Direction));
        Assert.Equal(messages[1].CreatedAt, conversation.LastMessageAt);
        Assert.Equal(1, conversation.Version);
    }

    [Fact]
    public async Task A_message_after_the_conversation_closed_opens_a_new_one()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "Oi"));
        await using (var owner = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var close = new NpgsqlCommand($"UPDATE conversations SET state = 'CLOSED', status = 'closed' WHERE tenant_id = '{_tenant.TenantId}'", owner);
            await close.ExecuteNonQueryAsync();
        }

        await HandleAsync(_tenant.Inbound(visitor, "Oi de novo"));

        var conversations = await _rows.ConversationsAsync();
        Assert.Equal([("closed", "CLOSED"), ("open", "PENDING")], conversations.Select(c => (c.Status, c.State)));
        Assert.Equal(conversations[1].Id, (await _rows.MessagesAsync())[1].ConversationId);
    }

    [Fact]
    public async Task Concurrent_first_messages_of_a_new_contact_open_a_single_conversation()
    {
        var visitor = Visitor();

        await Task.WhenAll(HandleAsync(_tenant.Inbound(visitor, "Oi")), HandleAsync(_tenant.Inbound(visitor, "Tem pão de queijo?")));

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        Assert.Equal(2, (await _rows.MessagesAsync()).Count(m => m.ConversationId == conversation.Id));
        Assert.Single((await _rows.OutboxAsync()), e => e.EventType == "ConversationStateChanged" && e.Payload.Contains(conversation.Id.ToString()));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_message_store_it_once()
    {
        var evt = _tenant.Inbound(Visitor(), "Vocês abrem no domingo?");

        await Task.WhenAll(HandleAsync(evt), HandleAsync(evt), HandleAsync(evt));

        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == evt.ExternalContactId);
        var conversation = Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
        Assert.Single(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id);
        Assert.Equal(2, (await _rows.OutboxAsync()).Count(e => e.Payload.Contains(conversation.Id.ToString())));
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
        await using var scope = _host.TenantScope(_tenant.TenantId);
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
    public async Task A_channel_without_an_assistant_stores_the_message_for_an_agent_and_schedules_nothing()
    {
        var agentsOnly = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Agents Only", withAssistant: false);
        var rows = new StoredRows(database.OwnerConnectionString, agentsOnly.TenantId);

        await HandleAsync(agentsOnly.Inbound(Visitor(), "Oi"));

        var message = Assert.Single(await rows.MessagesAsync());
        Assert.Equal("inbound", message.Direction);
        var conversation = Assert.Single(await rows.ConversationsAsync());
        Assert.Null(conversation.AssistantId);
        Assert.Equal(["MessageAdded", "ConversationStateChanged"], (await rows.OutboxAsync()).Select(e => e.EventType));
        Assert.Null(await Buffer.DueAtAsync(new ConversationKey(agentsOnly.TenantId, conversation.Id)));
    }

    [Fact]
    public async Task Processed_messages_and_duplicates_are_measured()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, object? Tag)>();
        using var listener = new MeterListener();
        // Only this host's meter: other hosts in the test run create meters of the same name.
        var meterFactory = _host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MessageProcessorMetrics.MeterName && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => measurements.Enqueue((i.Name, value, tags.ToArray().FirstOrDefault().Value)));
        listener.Start();
        var evt = _tenant.Inbound(Visitor(), "Oi");

        await HandleAsync(evt);
        await HandleAsync(evt);

        Assert.Equal(("saas.messages.processed", 1d, (object?)"Web"), Assert.Single(measurements, m => m.Instrument == "saas.messages.processed"));
        Assert.Equal(("saas.messages.duplicates_skipped", 1d, (object?)"Web"), Assert.Single(measurements, m => m.Instrument == "saas.messages.duplicates_skipped"));
    }
}
