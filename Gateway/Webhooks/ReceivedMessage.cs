using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.Gateway.Webhooks;

/// <summary>One customer message out of a channel's delivery, already in the internal protocol.</summary>
public sealed record ReceivedMessage(string ExternalContactId, string? ContactName, string ChannelMessageId, MessageContent Content, DateTimeOffset SentAt);
