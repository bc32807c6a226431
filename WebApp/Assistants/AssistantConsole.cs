using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Assistants;

/// <summary>
/// The "try it" console: the manager writes as a customer would, and the assistant answers through the very path the
/// engine uses, an <c>ai.reply</c> task run by the MessageProcessor (knowledge, provider chain with fallback, budget,
/// handoff, attempts). The console's conversation lives on the tenant's web channel, with a contact of its own per
/// manager and assistant (<see cref="ConsoleConversations"/>), which the agents' lists leave out.
/// </summary>
public sealed class AssistantConsole(SaasDbContext db, TimeProvider clock)
{
    public const int MaxTextLength = 4000;
    private const int TranscriptSize = 20;

    public async Task<IReadOnlyList<ConsoleTurn>> TranscriptAsync(Guid assistantId, Guid userId, CancellationToken cancellationToken)
    {
        var externalId = ConsoleConversations.ContactKey(userId, assistantId);
        var conversationId = await db.Conversations.Where(c => c.Contact!.ExternalId == externalId && c.AssistantId == assistantId)
            .OrderByDescending(c => c.CreatedAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (conversationId is null)
        {
            return [];
        }

        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.CreatedAt).Take(TranscriptSize).ToListAsync(cancellationToken);
        return messages.OrderBy(m => m.CreatedAt).Select(m => new ConsoleTurn(m.Sender, m.Content.Text, m.CreatedAt)).ToList();
    }

    /// <returns>The reply task's id, or why the message was refused.</returns>
    public async Task<(Guid? TaskId, FormRefusal? Refusal)> SendAsync(Guid assistantId, Guid userId, string userName, string? text,
        CancellationToken cancellationToken)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength)
        {
            return (null, new FormRefusal("text_required", "text"));
        }
        if (!await db.Assistants.AnyAsync(a => a.Id == assistantId, cancellationToken))
        {
            return (null, new FormRefusal("not_found"));
        }
        var channel = await db.Channels.AsNoTracking().Where(c => c.Type == ChannelTypes.Web)
            .OrderBy(c => c.AssistantId == assistantId ? 0 : 1).ThenBy(c => c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (channel is null)
        {
            return (null, new FormRefusal("console_needs_web_channel"));
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var externalId = ConsoleConversations.ContactKey(userId, assistantId);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.ChannelId == channel.Id && c.ExternalId == externalId, cancellationToken);
        if (contact is null)
        {
            contact = new Contact { Id = Guid.CreateVersion7(now), ChannelId = channel.Id, ExternalId = externalId, DisplayName = $"Console · {userName}", CreatedAt = now };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync(cancellationToken);
        }

        var conversation = await db.Conversations
            .FromSql($"SELECT * FROM conversations WHERE contact_id = {contact.Id} AND status = 'open' FOR UPDATE").FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            // The contact is this manager's and this assistant's: its conversation is always with this assistant.
            conversation = Conversation.StartOutbound(db.CurrentTenantId!.Value, channel.WorkspaceId, channel.Id, contact.Id, assistantId, now);
            db.Conversations.Add(conversation);
        }
        else if (conversation.ReplyTaskId is { } inFlight)
        {
            var status = await db.Tasks.AsNoTracking().Where(t => t.Id == inFlight).Select(t => (TaskItemStatus?)t.Status).SingleOrDefaultAsync(cancellationToken);
            if (status is { } known && !TaskStateMachine.IsTerminal(known))
            {
                return (null, new FormRefusal("console_busy"));
            }
            conversation.ForgetStaleReply();
        }
        // The assistant asked for a person in an earlier turn: the console hands the conversation back to keep trying.
        if (conversation.Handoff != Handoff.Assistant)
        {
            conversation.HandBackToAssistant(now);
        }

        var task = AiReplyTask.Create(conversation.TenantId, conversation.Id, now, CorrelationContext.Current);
        db.Messages.Add(new Message
        {
            Id = Guid.CreateVersion7(now),
            ConversationId = conversation.Id,
            ChannelId = channel.Id,
            Direction = MessageDirection.Inbound,
            Sender = MessageSenders.Contact,
            ChannelMessageId = "console-" + Guid.NewGuid().ToString("N"),
            Content = MessageContent.FromText(text),
            TaskId = task.Id,
            CreatedAt = now,
        });
        conversation.CustomerWrote(now);
        conversation.LastMessageAt = now;
        conversation.StartReply(task.Id);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
        AddEvents(conversation);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (task.Id, null);
    }

    /// <summary>Where a console reply task stands; null when it is not one of this tenant's reply tasks.</summary>
    public async Task<ConsoleReply?> ReplyAsync(Guid taskId, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId && t.Type == AiReplyTask.Type)
            .Select(t => new { t.Status, t.LastError }).FirstOrDefaultAsync(cancellationToken);
        if (task is null)
        {
            return null;
        }

        var reply = await db.Messages.AsNoTracking().Where(m => m.TaskId == taskId && m.Direction == MessageDirection.Outbound)
            .Select(m => new { m.Content, m.Model }).FirstOrDefaultAsync(cancellationToken);
        return new ConsoleReply(taskId, task.Status.ToString(), reply?.Content.Text, reply?.Model, task.LastError);
    }

    private void AddEvents(Conversation conversation)
    {
        foreach (var @event in conversation.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
    }
}
