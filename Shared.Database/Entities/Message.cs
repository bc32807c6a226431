using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.Database.Entities;

public sealed class Message : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public Guid ChannelId { get; set; }
    public MessageDirection Direction { get; set; }
    /// <summary>contact, assistant or agent.</summary>
    public required string Sender { get; set; }
    /// <summary>The channel's id for an inbound message; the natural key that makes redelivery harmless.</summary>
    public string? ChannelMessageId { get; set; }
    /// <summary>The internal protocol's content, stored as jsonb.</summary>
    public required MessageContent Content { get; set; }
    /// <summary>For an agent's message: the user who wrote it (null for the assistant, or an API send naming no agent).</summary>
    public Guid? AgentId { get; set; }
    /// <summary>For an assistant's reply: the model that produced it.</summary>
    public string? Model { get; set; }
    /// <summary>Inbound: the ai.reply task that answers it (null: not yet answered). Outbound: the task that wrote it.</summary>
    public Guid? TaskId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>An outbound message's state at the channel (<see cref="DeliveryStatuses"/>); null for inbound.</summary>
    public string? DeliveryStatus { get; set; }
    /// <summary>The channel's error code when the delivery failed (e.g. WhatsApp's 131047), or ours.</summary>
    public string? DeliveryError { get; set; }
    public DateTimeOffset? DeliveryUpdatedAt { get; set; }
}

public static class MessageSenders
{
    public const string Contact = "contact";
    public const string Assistant = "assistant";
    public const string Agent = "agent";
}

/// <summary>An outbound message's lifecycle, in order: a status never moves back, and failed is final.</summary>
public static class DeliveryStatuses
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    /// <summary>The lifecycle as SQL sees it: array_position over this array ranks a status.</summary>
    public static readonly string[] InOrder = [Queued, Sent, Delivered, Read, Failed];
}
