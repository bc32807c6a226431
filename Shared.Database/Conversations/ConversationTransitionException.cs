namespace SaasAssistants.Database.Conversations;

/// <summary>A lifecycle or handoff change the state machine does not allow from the conversation's current state.</summary>
public sealed class ConversationTransitionException(Guid conversationId, string from, string to)
    : InvalidOperationException($"Conversation {conversationId} cannot move from {from} to {to}.")
{
    public Guid ConversationId { get; } = conversationId;
    public string From { get; } = from;
    public string To { get; } = to;
}
