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
    /// <summary>An outbound message's state at the channel (queued, sent, delivered, read, failed); null for inbound.</summary>
    public string? DeliveryStatus { get; init; }

    /// <summary>The channel's error code when the delivery failed.</summary>
    public string? DeliveryError { get; init; }

    /// <summary>For an agent's message: the agent's name, so the team sees who answered.</summary>
    public string? AgentName { get; init; }

    public MediaReference? Media { get; init; }

    public LocationContent? Location { get; init; }

    public static MessageView From(Message message) => new(message.ConversationId, message.Id, ToWire(message.Direction),
        message.Sender, message.Content.Text, ToWire(message.Content.Type), message.CreatedAt)
    {
        DeliveryStatus = message.DeliveryStatus,
        DeliveryError = message.DeliveryError,
        Media = ShownMedia(message.Direction, message.Content.Media),
        Location = message.Content.Location,
    };

    /// <summary>
    /// A customer's file is shown from our stored copy only (<see cref="ConversationReader"/> adds its URL once
    /// media.fetch has stored it): the channel's own link (Instagram's CDN, Twilio's MediaUrl) expires or needs the
    /// channel's credentials, and loading it in the agent's browser would hand the agent's address to the channel.
    /// </summary>
    public static MediaReference? ShownMedia(MessageDirection direction, MediaReference? media)
        => direction == MessageDirection.Inbound && media is not null ? media with { Url = null } : media;

    public static string ToWire(MessageDirection direction) => direction == MessageDirection.Inbound ? "inbound" : "outbound";

    public static string ToWire(MessageContentType type) => type.ToString().ToLowerInvariant();
}
