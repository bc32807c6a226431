using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>
/// Turns a conversation's unanswered burst into exactly one <c>ai.reply</c> task. PostgreSQL decides, under the
/// conversation's row lock: the inbound messages no task has taken (messages.task_id is null) go into a new task, so a
/// second flush of the same burst, from a duplicate claim or another instance, finds nothing and creates nothing. While
/// an earlier reply is in flight (conversations.reply_task_id) nothing starts: that task chains the next one when it
/// stores its reply, so replies for one conversation never overtake each other.
/// </summary>
public sealed class ReplyTasks(SaasDbContext db, TimeProvider clock)
{
    /// <summary>Flushes one conversation in a transaction of its own. Returns the new task's id, or null when nothing was due.</summary>
    public async Task<Guid?> FlushAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await LockAsync(db, conversationId, cancellationToken);
        if (conversation is null)
        {
            return null;
        }
        var taskId = await TryStartAsync(conversation, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return taskId;
    }

    /// <summary>
    /// The buffer's flush: like <see cref="FlushAsync"/>, but only once the conversation has been quiet for its
    /// assistant's buffer timeout, counted from the newest unanswered message stored. A message commits before its
    /// handler re-arms the timer, so a flush due from the previous message can find it already stored: that burst is
    /// not quiet yet, and the flush returns when it will be instead of answering early.
    /// </summary>
    public async Task<BufferFlush> FlushIfQuietAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await LockAsync(db, conversationId, cancellationToken);
        if (conversation is null)
        {
            return new BufferFlush(null, null);
        }

        if (conversation.AssistantId is { } assistantId)
        {
            // One round trip for both: under load each one waits for a core, and this one is part of every flush's lateness.
            var quiet = await db.Assistants.AsNoTracking().Where(a => a.Id == assistantId)
                .Select(a => new
                {
                    a.BufferTimeoutMs,
                    Newest = db.Messages
                        .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.TaskId == null)
                        .Max(m => (DateTimeOffset?)m.CreatedAt),
                })
                .SingleAsync(cancellationToken);
            var quietAt = quiet.Newest + TimeSpan.FromMilliseconds(quiet.BufferTimeoutMs);
            if (quietAt > clock.GetUtcNow())
            {
                return new BufferFlush(null, quietAt);
            }
        }

        var taskId = await TryStartAsync(conversation, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new BufferFlush(taskId, null);
    }

    /// <summary>Loads the conversation, tracked, holding its row lock until the caller's transaction ends.</summary>
    public static Task<Conversation?> LockAsync(SaasDbContext db, Guid conversationId, CancellationToken cancellationToken)
        => db.Conversations.FromSql($"SELECT * FROM conversations WHERE id = {conversationId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// In the caller's transaction, with <paramref name="conversation"/> locked and tracked: creates the reply task for
    /// the unanswered messages when the assistant may answer and no reply is in flight. The caller saves.
    /// </summary>
    public async Task<Guid?> TryStartAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        if (!conversation.AssistantMayReply || conversation.AssistantId is null)
        {
            return null;
        }
        if (conversation.ReplyTaskId is { } inFlight)
        {
            var status = await db.Tasks.AsNoTracking().Where(t => t.Id == inFlight).Select(t => (TaskItemStatus?)t.Status).SingleOrDefaultAsync(cancellationToken);
            if (status is { } known && !TaskStateMachine.IsTerminal(known))
            {
                return null;
            }
            // The task ended without storing a reply (dead-lettered, cancelled): its messages are unanswered again.
            conversation.ForgetStaleReply();
            await db.Messages.Where(m => m.ConversationId == conversation.Id && m.TaskId == inFlight && m.Direction == MessageDirection.Inbound)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.TaskId, (Guid?)null), cancellationToken);
        }

        // The same ai.reply task the CRM's "try it" console starts; it is only added when it took a message.
        var task = AiReplyTask.Create(conversation.TenantId, conversation.Id, clock.GetUtcNow(), CorrelationContext.Current);
        var taken = await db.Messages
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.TaskId == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.TaskId, task.Id), cancellationToken);
        if (taken == 0)
        {
            return null;
        }

        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
        conversation.StartReply(task.Id);
        return task.Id;
    }
}

/// <summary>What a buffer flush did: the reply task it started, or when the burst will have been quiet long enough.</summary>
public sealed record BufferFlush(Guid? TaskId, DateTimeOffset? NotQuietUntil);
