using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>A row of the conversation list.</summary>
public sealed record ConversationSummary(
    Guid Id,
    string ContactName,
    string ContactExternalId,
    string ChannelType,
    string Status,
    DateTimeOffset LastMessageAt,
    MessageContent? LastMessage,
    MessageDirection? LastMessageDirection,
    string State = Database.Conversations.ConversationState.Pending,
    string Handoff = Database.Conversations.Handoff.Assistant);
