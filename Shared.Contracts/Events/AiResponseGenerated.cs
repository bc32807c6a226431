using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.Contracts.Events;

/// <summary>The assistant produced a reply that now has to reach the customer on its channel.</summary>
public sealed record AiResponseGenerated : IntegrationEvent
{
    public required Guid ConversationId { get; init; }
    public required Guid MessageId { get; init; }
    public required Guid ChannelId { get; init; }
    public required ChannelType ChannelType { get; init; }
    public required string ExternalContactId { get; init; }
    public required MessageContent Content { get; init; }
    public required string Model { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
