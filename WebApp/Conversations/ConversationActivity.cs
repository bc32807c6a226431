namespace SaasAssistants.WebApp.Conversations;

/// <summary>The hub's conversationUpdated payload: enough for the list to move a row to the top and refresh its preview.</summary>
public sealed record ConversationActivity(Guid ConversationId, string Direction, string? Text, string ContentType, DateTimeOffset LastMessageAt);
