using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>One message as the page's script sees it: the hub's messageAdded payload and the catch-up endpoint's item.</summary>
public sealed record MessageView(
    Guid ConversationId,
    Guid MessageId,
    string Direction,
    string? Sender,
    string? Text,
    string ContentType,
    DateTimeOffset CreatedAt)
{
    public static MessageView From(Message message) => new(message.ConversationId, message.Id, ToWire(message.Direction),
        message.Sender, message.Content.Text, ToWire(message.Content.Type), message.CreatedAt);

    public static string ToWire(MessageDirection direction) => direction == MessageDirection.Inbound ? "inbound" : "outbound";

    public static string ToWire(MessageContentType type) => type.ToString().ToLowerInvariant();
}
