namespace SaasAssistants.Contracts.Events.Conversations;

/// <summary>
/// Who answers the conversation changed: <c>assistant</c>, <c>waiting_for_human</c> or <c>human</c> (with the agent).
/// <see cref="Reason"/> says why, for the agents and the tenant (e.g. <c>customer_asked</c>, <c>ai_budget_reached</c>).
/// </summary>
public sealed record ConversationHandoffChanged : IntegrationEvent
{
    public required Guid ConversationId { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public Guid? AssignedAgentId { get; init; }
    public string? Reason { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
