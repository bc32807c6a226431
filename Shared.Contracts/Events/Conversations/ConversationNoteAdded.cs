namespace SaasAssistants.Contracts.Events.Conversations;

/// <summary>An internal note was added to a conversation (for the team; never sent to the customer). Carries no text.</summary>
public sealed record ConversationNoteAdded : IntegrationEvent
{
    public required Guid ConversationId { get; init; }
    public required Guid NoteId { get; init; }
    public Guid? AuthorId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
