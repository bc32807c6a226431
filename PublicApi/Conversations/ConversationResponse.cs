namespace SaasAssistants.PublicApi.Conversations;

/// <param name="ChannelType">web, whatsapp or instagram.</param>
/// <param name="Status">open or closed.</param>
public sealed record ConversationResponse(
    Guid Id,
    Guid ChannelId,
    string ChannelType,
    ContactResponse Contact,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastMessageAt);
