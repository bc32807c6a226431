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
public sealed record MessageResponseV2(
    Guid Id,
    MessageDirection Direction,
    string Sender,
    MessageContent Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Model,
    DateTimeOffset CreatedAt)
{
    public static MessageResponseV2 From(Message message)
        => new(message.Id, message.Direction, message.Sender, message.Content, message.Model, message.CreatedAt);
}
