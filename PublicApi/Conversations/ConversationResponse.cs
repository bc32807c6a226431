namespace SaasAssistants.PublicApi.Conversations;

/// <summary>A conversation between a contact and the tenant (its assistant or agents) on one channel.</summary>
/// <param name="Id">The conversation's id.</param>
/// <param name="ChannelId">The channel it happens on.</param>
/// <param name="ChannelType">web, whatsapp or instagram.</param>
/// <param name="Contact">The customer.</param>
/// <param name="Status">open or closed.</param>
/// <param name="CreatedAt">When the first message arrived (UTC).</param>
/// <param name="LastMessageAt">When the latest message was added (UTC).</param>
/// <param name="State">Lifecycle state (seed 004): PENDING, PROGRESS, IDLE_TIMEOUT, EXPIRED or CLOSED.</param>
/// <param name="Handoff">Who answers: assistant, waiting_for_human or human.</param>
/// <param name="AssignedAgentId">The agent who has the conversation, when <c>handoff</c> is human.</param>
/// <param name="Summary">The rolling summary of the older turns, when the conversation is long enough to have one.</param>
/// <param name="HandoffReason">Why it went to a person (e.g. customer_asked, no_matching_knowledge, ai_budget_reached).</param>
public sealed record ConversationResponse(
    Guid Id,
    Guid ChannelId,
    string ChannelType,
    ContactResponse Contact,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastMessageAt,
    string State,
    string Handoff,
    Guid? AssignedAgentId,
    string? Summary,
    string? HandoffReason);
