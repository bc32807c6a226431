using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.Contracts.Events;

/// <summary>A message (either direction) was stored in a conversation. The CRM follows conversations with it.</summary>
public sealed record MessageAdded : IntegrationEvent
{
    public required Guid ConversationId { get; init; }
    public required Guid MessageId { get; init; }
    public required Guid ChannelId { get; init; }
    public required ChannelType ChannelType { get; init; }
    public required MessageDirection Direction { get; init; }
    public required MessageContent Content { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
