using System.Text.Json;
using System.Text.Json.Serialization;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>The payload of an <c>ai.reply</c> task: the conversation to answer. What to answer is in PostgreSQL
/// (the inbound messages whose task_id is the task's id), so a payload never goes stale.</summary>
public sealed record AiReplyPayload([property: JsonPropertyName("conversationId")] Guid ConversationId)
{
    public static IReadOnlyList<TaskPayloadError> Validate(JsonElement payload)
        => payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("conversationId", out var id)
           && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out _)
            ? []
            : [new TaskPayloadError("conversationId", "is required and must be a conversation's id (a uuid).")];

    public static AiReplyPayload From(JsonElement payload) => new(Guid.Parse(payload.GetProperty("conversationId").GetString()!));
}
