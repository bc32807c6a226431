using System.Text.Json.Serialization;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>One message of a conversation, v2: the whole internal message content rather than v1's text and type.</summary>
/// <param name="Id">The message's id.</param>
/// <param name="Direction">inbound: from the contact; outbound: from the assistant or an agent.</param>
/// <param name="Sender">contact, assistant or agent.</param>
/// <param name="Content">The internal protocol's content: type, text or caption, and the media, location or other parts its type carries.</param>
/// <param name="Model">For an assistant's reply, the AI model that wrote it; otherwise null.</param>
/// <param name="CreatedAt">When it was stored (UTC).</param>
/// <param name="Delivery">For an outbound message on WhatsApp or Instagram, where it is at the channel; null for inbound messages and the web widget.</param>
/// <param name="Attachments">The files the customer sent with it, as we keep them (download a stored one from its url); empty for none.</param>
public sealed record MessageResponseV2(
    Guid Id,
    MessageDirection Direction,
    string Sender,
    MessageContent Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Model,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] MessageDeliveryResponse? Delivery,
    IReadOnlyList<AttachmentResponse> Attachments)
{
    public static MessageResponseV2 From(Message message, IReadOnlyList<AttachmentResponse> attachments)
        => new(message.Id, message.Direction, message.Sender, message.Content, message.Model, message.CreatedAt,
            message.DeliveryStatus is { } status ? new MessageDeliveryResponse(status, message.DeliveryError, message.DeliveryUpdatedAt) : null,
            attachments);
}

/// <summary>An outbound message's state at the channel, from the channel's own status callbacks; it only moves forward.</summary>
/// <param name="Status">queued, sent, delivered, read, or failed (final).</param>
/// <param name="Error">For failed: the channel's error code (e.g. WhatsApp's 131047), or ours (outside_service_window).</param>
/// <param name="UpdatedAt">When the status last changed (UTC).</param>
public sealed record MessageDeliveryResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? UpdatedAt);
