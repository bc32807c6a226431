using System.Runtime.Versioning;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using Xunit;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

/// <summary>
/// The worker end to end on the bus: events go in through the exchange, as the Gateway's outbox relay publishes them,
/// and the replies come out through the worker's own outbox relay.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MessageProcessorHostTests(MessageProcessorHost host) : IClassFixture<MessageProcessorHost>, IAsyncLifetime
{
    private TenantChannel _tenant = null!;
    private StoredRows _rows = null!;

    public async Task InitializeAsync()
    {
        // The burst test's messages go through one consumer one after the other; the buffer counts from each message's
        // stored time, so on a loaded machine (CI at load 20 measured more than 1 s between two of them: three publishes
        // with confirms, then three handler transactions) a short buffer makes them two bursts. The product default, 3 s.
        _tenant = await TenantChannel.InsertAsync(host.Database.OwnerConnectionString, "Host Bakery", bufferTimeoutMs: 3000);
        _rows = new StoredRows(host.Database.OwnerConnectionString, _tenant.TenantId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Visitor() => "visitor-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_worker_serves_its_health_endpoints()
    {
        using var http = new HttpClient { BaseAddress = host.Process.BaseAddress };

        Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode);
        Assert.True((await http.GetAsync("/alive")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_published_message_is_answered_through_the_buffer_and_a_reply_task_and_the_reply_announced()
    {
        var evt = _tenant.Inbound(Visitor(), "Oi! Vocês consertam bicicletas?");

        await host.PublishAsync(evt);
        var reply = await host.NextReplyAsync(_tenant.TenantId);

        Assert.Equal((_tenant.ChannelId, ChannelType.Web, evt.ExternalContactId, "local-responder"),
            (reply.ChannelId, reply.ChannelType, reply.ExternalContactId, reply.Model));
        // No knowledge base here: the built-in responder says so honestly and hands the conversation to the team.
        Assert.StartsWith("Não tenho essa informação aqui", reply.Content.Text);
        // The relay publishes only committed rows: the conversation is already stored when the reply is announced.
        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == reply.ConversationId).ToList();
        Assert.Equal([(evt.ChannelMessageId, "inbound"), (null, "outbound")], messages.Select(m => (m.ChannelMessageId, m.Direction)));
        Assert.Equal((reply.MessageId, reply.Content.Text), (messages[1].Id, messages[1].Text));
        var task = Assert.Single(await _rows.TasksAsync("ai.reply"));
        Assert.Equal([task.Id, task.Id], messages.Select(m => m.TaskId!.Value));
        Assert.Equal("waiting_for_human", Assert.Single(await _rows.ConversationsAsync()).Handoff);
    }

    [Fact]
    public async Task A_burst_with_a_duplicate_delivery_is_stored_once_and_answered_once()
    {
        var visitor = Visitor();
        var first = _tenant.Inbound(visitor, "Vocês fazem bolo sem glúten?");
        var next = _tenant.Inbound(visitor, "E entregam?");

        await host.PublishAsync(first);
        await host.PublishAsync(first);
        await host.PublishAsync(next);
        var reply = await host.NextReplyAsync(_tenant.TenantId);

        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == reply.ConversationId).ToList();
        Assert.Equal(["inbound", "inbound", "outbound"], messages.Select(m => m.Direction));
        // One task took the whole burst; the reply is the only one (the conversation now waits for a person).
        var task = Assert.Single(await _rows.TasksAsync("ai.reply"), t => t.Payload.Contains(reply.ConversationId.ToString()));
        Assert.All(messages, m => Assert.Equal(task.Id, m.TaskId));
    }

    [Fact]
    public async Task Interleaved_conversations_messages_are_each_stored_in_the_order_published()
    {
        // The worker handles several deliveries at once (InboundMessages:Concurrency, 8), but one conversation's one
        // after another, so each stored time follows the one published before it.
        var visitors = Enumerable.Range(0, 3).Select(_ => Visitor()).ToList();
        var published = new List<InboundMessageReceived>();
        for (var i = 1; i <= 6; i++)
        {
            foreach (var visitor in visitors)
            {
                var evt = _tenant.Inbound(visitor, $"{visitor} #{i}");
                published.Add(evt);
                await host.PublishAsync(evt);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<StoredMessage> inbound;
        while ((inbound = (await _rows.MessagesAsync()).Where(m => m.Direction == "inbound").ToList()).Count < published.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{inbound.Count} of {published.Count} messages stored within 60 s");
            await Task.Delay(100);
        }

        Assert.Equal(published.Select(e => e.ChannelMessageId).Order(), inbound.Select(m => m.ChannelMessageId).Order());
        foreach (var conversation in inbound.GroupBy(m => m.ConversationId))
        {
            var visitor = conversation.First().Text!.Split(' ')[0];
            Assert.Equal(Enumerable.Range(1, 6).Select(i => $"{visitor} #{i}"), conversation.OrderBy(m => m.CreatedAt).Select(m => m.Text));
        }

        Assert.Equal(visitors.Count, inbound.Select(m => m.ConversationId).Distinct().Count());
    }

    [Fact]
    public async Task A_message_that_cannot_be_processed_ends_in_the_dead_letter_queue()
    {
        var evt = _tenant.Inbound(Visitor(), "Oi") with { ChannelId = Guid.CreateVersion7() };

        await host.PublishAsync(evt);

        Assert.Equal(evt.EventId.ToString(), await host.NextDeadLetterAsync());
        Assert.Empty(await _rows.ContactsAsync());
    }
}
