namespace SaasAssistants.Database.Conversations;

/// <summary>
/// A conversation the business starts on a WhatsApp or Instagram channel: with an existing contact
/// (<paramref name="ContactId"/>) or the customer's id on the channel (<paramref name="ExternalId"/>, a phone number in
/// WhatsApp's wa_id form), and the first message.
/// </summary>
public sealed record OutboundConversation(Guid ChannelId, Guid? ContactId, string? ExternalId, string? ContactName, AgentReply FirstMessage);
