using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.EventBus.Outbox;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>
/// Optimistic updates of a conversation: load, apply through the entity, save with the version check; when another
/// writer got there first the save fails (DbUpdateConcurrencyException), and the change is applied again to the fresh
/// row. Never an overwrite. The entity's events go to the outbox in the same SaveChanges.
/// </summary>
public static class ConversationUpdates
{
    public const int MaxAttempts = 5;

    /// <returns>False when the conversation does not exist (in this tenant).</returns>
    public static async Task<bool> ApplyAsync(SaasDbContext db, Guid conversationId, Action<Conversation> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null)
            {
                return false;
            }

            change(conversation);
            foreach (var @event in conversation.TakeEvents())
            {
                db.AddIntegrationEvent(@event);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Someone else changed it since we read it: read again and re-apply.
            }
        }
    }
}
