using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.MessageProcessor.Channels;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>
/// Stores what an <c>ai.reply</c> task decided, in one transaction under the conversation's row lock: the reply
/// message (unique per task, so a retried task cannot write two), its MessageAdded and AiResponseGenerated events, the
/// lifecycle and handoff changes with their events, the end of the in-flight reply and, when messages arrived
/// meanwhile, the next burst's task. The chaining here is what keeps replies for one conversation in order.
/// </summary>
public sealed class ReplyWriter(SaasDbContext db, ReplyTasks replyTasks, TaskWakeUp taskWakeUp, TimeProvider clock)
{
    /// <returns>The stored reply; null when the task no longer owns the conversation's reply (superseded).</returns>
    public async Task<Message?> WriteAsync(Guid taskId, Guid conversationId, string? text, string? model, string? handoffReason,
        bool summarize, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await ReplyTasks.LockAsync(db, conversationId, cancellationToken)
            ?? throw new ConversationNotFoundException(conversationId);
        if (conversation.ReplyTaskId != taskId)
        {
            return await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.TaskId == taskId && m.Direction == MessageDirection.Outbound, cancellationToken);
        }

        // An agent took the conversation over (or it went to a person) while the model was answering: the assistant no
        // longer speaks in it, so its answer is dropped; the task still ends its reply and starts the next burst's.
        if (!conversation.AssistantMayReply)
        {
            text = null;
            handoffReason = null;
        }

        var now = Now();
        Message? reply = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == conversation.ContactId).Select(c => c.ExternalId).SingleAsync(cancellationToken);
            var channelType = await db.Channels.AsNoTracking().Where(c => c.Id == conversation.ChannelId).Select(c => c.Type).SingleAsync(cancellationToken);
            reply = new Message
            {
                Id = Guid.CreateVersion7(),
                TenantId = conversation.TenantId,
                ConversationId = conversation.Id,
                ChannelId = conversation.ChannelId,
                Direction = MessageDirection.Outbound,
                Sender = MessageSenders.Assistant,
                Content = MessageContent.FromText(text.Trim()),
                Model = model,
                TaskId = taskId,
                CreatedAt = now,
            };
            db.Messages.Add(reply);
            // channels.type is the enum's name in lower case (web, whatsapp, instagram).
            var type = Enum.Parse<ChannelType>(channelType, ignoreCase: true);
            db.AddIntegrationEvent(new MessageAdded
            {
                TenantId = reply.TenantId, ConversationId = reply.ConversationId, MessageId = reply.Id, ChannelId = reply.ChannelId,
                ChannelType = type, Direction = reply.Direction, Content = reply.Content, CreatedAt = reply.CreatedAt,
            });
            db.AddIntegrationEvent(new AiResponseGenerated
            {
                TenantId = reply.TenantId, ConversationId = reply.ConversationId, MessageId = reply.Id, ChannelId = reply.ChannelId,
                // What the Gateway needs to deliver without a look-up: the channel kind and the customer's id on it.
                ChannelType = type, ExternalContactId = contact, Content = reply.Content, Model = model ?? "unknown", CreatedAt = reply.CreatedAt,
            });
            if (type is ChannelType.WhatsApp or ChannelType.Instagram)
            {
                EnqueueSend(reply, now);
            }

            conversation.LastMessageAt = now;
            conversation.Answered(now);
        }
        if (handoffReason is not null)
        {
            conversation.RequestHuman(handoffReason, now);
        }

        conversation.EndReply(taskId);
        await replyTasks.TryStartAsync(conversation, cancellationToken);
        if (summarize)
        {
            await SummarizeTasks.EnsureQueuedAsync(db, conversation, now, cancellationToken);
        }

        foreach (var @event in conversation.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The next burst's reply or the channel send it queued can start here at once (see InboundMessageHandler).
        taskWakeUp.Wake();
        return reply;
    }

    /// <summary>
    /// WhatsApp and Instagram (Meta or Twilio) replies leave through a message.send task, committed with the reply itself:
    /// the send is retried on its own and cannot be lost between the two (the widget's replies go over the Gateway's live
    /// connection, from AiResponseGenerated).
    /// </summary>
    private void EnqueueSend(Message reply, DateTimeOffset now)
    {
        reply.DeliveryStatus = DeliveryStatuses.Queued;
        var task = TaskItem.Create(reply.TenantId, MessageSendProcessor.TaskType,
            JsonSerializer.Serialize(new { messageId = reply.Id }), now, priority: 10, correlationId: CorrelationContext.Current);
        task.Enqueue(now);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
    }

    /// <summary>PostgreSQL keeps microseconds; truncating here makes the events carry exactly the stored times.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}

public sealed class ConversationNotFoundException(Guid conversationId)
    : InvalidOperationException($"Conversation {conversationId} does not exist in the task's tenant.");
