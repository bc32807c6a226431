namespace SaasAssistants.Contracts.Events.Conversations;

/// <summary>
/// A conversation moved through its lifecycle (seed 004: PENDING, PROGRESS, IDLE_TIMEOUT, EXPIRED, CLOSED).
/// <see cref="From"/> is null when the conversation was just opened.
/// </summary>
public sealed record ConversationStateChanged : IntegrationEvent
{
    public required Guid ConversationId { get; init; }
    public string? From { get; init; }
    public required string To { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
