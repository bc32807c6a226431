using System.Text.Json.Serialization;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>One message of a conversation.</summary>
/// <param name="Id">The message's id.</param>
/// <param name="Direction">inbound: from the contact; outbound: from the assistant or an agent.</param>
/// <param name="Sender">contact, assistant or agent.</param>
/// <param name="Text">The text, or null for media without a caption.</param>
/// <param name="ContentType">What the message carries.</param>
/// <param name="Model">For an assistant's reply, the AI model that wrote it; otherwise null.</param>
/// <param name="CreatedAt">When it was stored (UTC).</param>
/// <param name="DeliveryStatus">For an outbound WhatsApp/Instagram message: queued, sent, delivered, read or failed; otherwise null.</param>
/// <param name="DeliveryError">When the delivery failed: the channel's error code (e.g. WhatsApp's 131047) or ours (outside_service_window).</param>
public sealed record MessageResponse(
    Guid Id,
    MessageDirection Direction,
    string Sender,
    // Public contract: nullable fields are always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Text,
    MessageContentType ContentType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Model,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DeliveryStatus = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DeliveryError = null)
{
    /// <summary>In memory: the content is a jsonb value that EF reads whole and cannot look into.</summary>
    public static MessageResponse From(Message message) => new(
        message.Id, message.Direction, message.Sender, message.Content.Text, message.Content.Type, message.Model, message.CreatedAt,
        message.DeliveryStatus, message.DeliveryError);
}
