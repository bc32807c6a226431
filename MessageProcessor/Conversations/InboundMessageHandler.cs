using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.MessageProcessor.Buffering;
using SaasAssistants.MessageProcessor.Diagnostics;
using SaasAssistants.MessageProcessor.Media;
using SaasAssistants.MessageProcessor.Replies;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Conversations;

/// <summary>
/// Store first: turns an inbound channel message into contact, conversation and message rows and announces it, in one
/// transaction, and does no AI work at all: the reply comes later from an <c>ai.reply</c> task, so neither a slow
/// provider nor Redis can lose or hold up a customer's message. Redelivery is harmless (the message is unique on its
/// channel message id). After the commit the conversation's buffer timer (re)starts; with a buffer of 0 the reply
/// task is created in the same transaction instead.
/// </summary>
public sealed partial class InboundMessageHandler(
    SaasDbContext db,
    ITenantContext tenant,
    ReplyTasks replyTasks,
    ReplyBuffer buffer,
    MediaFetches mediaFetches,
    TaskWakeUp taskWakeUp,
    TimeProvider clock,
    MessageProcessorMetrics metrics,
    ILogger<InboundMessageHandler> logger) : IIntegrationEventHandler<InboundMessageReceived>
{
    public async Task HandleAsync(InboundMessageReceived evt, CancellationToken cancellationToken)
    {
        // First, before any query: EF's filters, the row stamps and row level security all read the tenant from here.
        tenant.SetTenant(evt.TenantId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var channel = await db.Channels.AsNoTracking()
            .Where(c => c.Id == evt.ChannelId)
            .Select(c => new { c.WorkspaceId, c.AssistantId })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Channel {evt.ChannelId} does not exist in tenant {evt.TenantId}.");

        var receivedAt = Now();
        var contactId = await db.UpsertContactAsync(evt.TenantId, evt.ChannelId, evt.ExternalContactId, evt.ContactName, receivedAt, cancellationToken);
        var opened = await db.OpenConversationAsync(evt.TenantId, channel.WorkspaceId, evt.ChannelId, contactId, channel.AssistantId,
            receivedAt, cancellationToken);

        var inbound = new Message
        {
            Id = Guid.CreateVersion7(),
            TenantId = evt.TenantId,
            ConversationId = opened.Id,
            ChannelId = evt.ChannelId,
            Direction = MessageDirection.Inbound,
            Sender = MessageSenders.Contact,
            ChannelMessageId = evt.ChannelMessageId,
            Content = evt.Content,
            CreatedAt = receivedAt,
        };
        if (!await db.TryInsertInboundMessageAsync(inbound, cancellationToken))
        {
            // Disposing the uncommitted transaction undoes the contact and conversation upserts as well.
            metrics.DuplicateSkipped(evt.ChannelType.ToString());
            LogDuplicate(evt.EventId, evt.ChannelId, evt.TenantId);
            return;
        }
        // An attachment is fetched by a task committed with the message (a redelivery never gets here).
        mediaFetches.StartFor(inbound);
        db.AddIntegrationEvent(new MessageAdded
        {
            TenantId = evt.TenantId, ConversationId = inbound.ConversationId, MessageId = inbound.Id, ChannelId = inbound.ChannelId,
            ChannelType = evt.ChannelType, Direction = inbound.Direction, Content = inbound.Content, CreatedAt = inbound.CreatedAt,
        });

        // The upsert holds the conversation's row lock until the commit: the state changes below cannot interleave.
        var conversation = await db.Conversations.SingleAsync(c => c.Id == opened.Id, cancellationToken);
        if (opened.Opened)
        {
            conversation.Opened(receivedAt);
        }

        conversation.CustomerWrote(receivedAt);

        var bufferTimeout = channel.AssistantId is { } assistantId
            ? await db.Assistants.AsNoTracking().Where(a => a.Id == assistantId).Select(a => (int?)a.BufferTimeoutMs).SingleOrDefaultAsync(cancellationToken)
            : null;
        Guid? replyTask = null;
        if (bufferTimeout is null)
        {
            LogNoAssistant(inbound.Id, evt.ChannelId, evt.TenantId);
        }
        else if (bufferTimeout == 0)
        {
            replyTask = await replyTasks.TryStartAsync(conversation, cancellationToken);
        }

        foreach (var @event in conversation.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (replyTask is not null)
        {
            // This instance's claim loop starts it now; the TaskQueued event (outbox, relay, RabbitMQ) would cost a
            // few round trips more and reaches only one instance anyway.
            taskWakeUp.Wake();
        }

        metrics.MessageProcessed(evt.ChannelType.ToString());
        LogProcessed(inbound.Id, inbound.ConversationId, evt.TenantId, evt.EventId);

        if (bufferTimeout > 0 && conversation.AssistantMayReply)
        {
            // Due the timeout after the message's stored time, which the flush checks against: counting from now
            // instead made every flush late by the time this handler took (the bulk of bench figure (a) under load).
            await ScheduleAsync(new ConversationKey(evt.TenantId, conversation.Id), receivedAt.AddMilliseconds(bufferTimeout.Value));
        }
    }

    private async Task ScheduleAsync(ConversationKey conversation, DateTimeOffset dueAt)
    {
        try
        {
            await buffer.ScheduleAsync(conversation, dueAt);
        }
        catch (Exception ex)
        {
            // The message is committed; PostgreSQL knows it is unanswered, and the flusher's sweep schedules it again.
            LogScheduleFailed(ex, conversation.ConversationId, conversation.TenantId);
        }
    }

    /// <summary>PostgreSQL keeps microseconds; truncating here makes the events carry exactly the stored times.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored inbound message {MessageId} in conversation {ConversationId} of tenant {TenantId} (event {IntegrationEventId})")]
    private partial void LogProcessed(Guid messageId, Guid conversationId, Guid tenantId, Guid integrationEventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {IntegrationEventId} repeats a message already stored for channel {ChannelId} of tenant {TenantId}; skipped")]
    private partial void LogDuplicate(Guid integrationEventId, Guid channelId, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} of tenant {TenantId} has no assistant; message {MessageId} waits for an agent")]
    private partial void LogNoAssistant(Guid messageId, Guid channelId, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not schedule the reply buffer of conversation {ConversationId} of tenant {TenantId}; the sweep will")]
    private partial void LogScheduleFailed(Exception ex, Guid conversationId, Guid tenantId);
}
