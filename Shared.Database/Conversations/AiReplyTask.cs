using System.Text.Json;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.Database.Conversations;

/// <summary>
/// The <c>ai.reply</c> task: <c>{"conversationId": "..."}</c>; answers the conversation's inbound messages whose
/// task_id is the task's id. Here, beside <c>KnowledgeIndexTask</c>, so the CRM's "try it" console and the
/// MessageProcessor's buffer (ReplyTasks) start the same task, and its processor (AiReplyProcessor) claims this type.
/// </summary>
public static class AiReplyTask
{
    public const string Type = "ai.reply";
    public const int Priority = 10;

    /// <summary>A queued reply task (the caller adds it and its events to the same SaveChanges).</summary>
    public static TaskItem Create(Guid tenantId, Guid conversationId, DateTimeOffset at, string? correlationId = null)
    {
        var task = TaskItem.Create(tenantId, Type, JsonSerializer.Serialize(new { conversationId }), at, priority: Priority, correlationId: correlationId);
        task.Enqueue(at);
        return task;
    }
}
