namespace SaasAssistants.PublicApi.Conversations;

/// <summary>A conversation between a contact and the tenant (its assistant or agents) on one channel.</summary>
/// <param name="Id">The conversation's id.</param>
/// <param name="ChannelId">The channel it happens on.</param>
/// <param name="ChannelType">web, whatsapp or instagram.</param>
/// <param name="Contact">The customer.</param>
/// <param name="Status">open or closed.</param>
/// <param name="CreatedAt">When the first message arrived (UTC).</param>
/// <param name="LastMessageAt">When the latest message was added (UTC).</param>
public sealed record ConversationResponse(
    Guid Id,
    Guid ChannelId,
    string ChannelType,
    ContactResponse Contact,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastMessageAt);
