using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.Contracts.Events;

/// <summary>Published by the Gateway once a channel's webhook was accepted and converted to the internal protocol.</summary>
public sealed record InboundMessageReceived : IntegrationEvent
{
    public required Guid WebhookEventId { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required Guid ChannelId { get; init; }
    public required ChannelType ChannelType { get; init; }
    /// <summary>The customer's id on the channel: a WhatsApp wa_id, an Instagram IGSID, a widget visitor session.</summary>
    public required string ExternalContactId { get; init; }
    public string? ContactName { get; init; }
    /// <summary>The channel's own id for the message; the natural key that makes processing idempotent.</summary>
    public required string ChannelMessageId { get; init; }
    public required MessageContent Content { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}
