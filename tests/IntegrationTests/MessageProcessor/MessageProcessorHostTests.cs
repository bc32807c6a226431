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
        _tenant = await TenantChannel.InsertAsync(host.Database.OwnerConnectionString, "Host Bakery");
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
    public async Task A_published_message_is_answered_and_the_reply_announced()
    {
        var evt = _tenant.Inbound(Visitor(), "Oi! Quanto custa a torta de limão?");

        await host.PublishAsync(evt);
        var reply = await host.NextReplyAsync(_tenant.TenantId);

        Assert.Equal((_tenant.ChannelId, ChannelType.Web, evt.ExternalContactId, "local-responder"),
            (reply.ChannelId, reply.ChannelType, reply.ExternalContactId, reply.Model));
        Assert.StartsWith("Posso ajudar com valores", reply.Content.Text);
        // The relay publishes only committed rows: the conversation is already stored when the reply is announced.
        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == reply.ConversationId).ToList();
        Assert.Equal([(evt.ChannelMessageId, "inbound"), (null, "outbound")], messages.Select(m => (m.ChannelMessageId, m.Direction)));
        Assert.Equal((reply.MessageId, reply.Content.Text), (messages[1].Id, messages[1].Text));
    }

    [Fact]
    public async Task A_message_delivered_twice_is_answered_once()
    {
        var visitor = Visitor();
        var first = _tenant.Inbound(visitor, "Vocês fazem bolo sem glúten?");
        var next = _tenant.Inbound(visitor, "Obrigada!");

        await host.PublishAsync(first);
        await host.PublishAsync(first);
        await host.PublishAsync(next);
        // One consumer takes the queue in order: once the next message is answered, the duplicate has been handled.
        AiResponseGenerated[] replies = [await host.NextReplyAsync(_tenant.TenantId), await host.NextReplyAsync(_tenant.TenantId)];

        Assert.False(host.HasPendingReply(_tenant.TenantId), "a duplicate delivery produced a reply");
        var conversationId = Assert.Single(replies.Select(r => r.ConversationId).Distinct());
        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == conversationId).ToList();
        Assert.Equal(["inbound", "outbound", "inbound", "outbound"], messages.Select(m => m.Direction));
        Assert.Equal(replies.Select(r => r.MessageId).Order(), messages.Where(m => m.Direction == "outbound").Select(m => m.Id).Order());
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
