using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>Queues the conversation's <c>conversation.summarize</c> task, unless one is queued or running already.</summary>
public static class SummarizeTasks
{
    public static async Task EnsureQueuedAsync(SaasDbContext db, Conversation conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new AiReplyPayload(conversation.Id));
        // The caller holds the conversation's row lock, so two replies cannot both find none and queue two.
        var pending = await db.Tasks.AsNoTracking()
            .AnyAsync(t => t.Type == ConversationSummarizeProcessor.TaskType
                           && (t.Status == TaskItemStatus.Queued || t.Status == TaskItemStatus.Running || t.Status == TaskItemStatus.Created)
                           && EF.Functions.JsonContains(t.Payload, payload), cancellationToken);
        if (pending)
        {
            return;
        }

        var task = TaskItem.Create(conversation.TenantId, ConversationSummarizeProcessor.TaskType, payload, now, priority: -1);
        task.Enqueue(now);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
    }
}
