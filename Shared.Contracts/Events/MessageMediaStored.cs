namespace SaasAssistants.Contracts.Events;

/// <summary>
/// A customer's attachment was downloaded from its channel and stored (media.fetch), after its message was: the CRM
/// shows our copy in place of the label it had until then.
/// </summary>
public sealed record MessageMediaStored : IntegrationEvent
{
    public required Guid ConversationId { get; init; }
    public required Guid MessageId { get; init; }
    public required Guid MediaId { get; init; }
}
