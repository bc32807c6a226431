namespace SaasAssistants.WebApp.Conversations;

/// <summary>A conversation list row as JSON, for the list's script when activity arrives for a conversation not on the page.</summary>
public sealed record ConversationListItem(
    Guid Id,
    string ContactName,
    string ContactExternalId,
    string ChannelType,
    string? Direction,
    string? Text,
    string? ContentType,
    DateTimeOffset LastMessageAt)
{
    public static ConversationListItem From(ConversationSummary summary) => new(summary.Id, summary.ContactName,
        summary.ContactExternalId, summary.ChannelType,
        summary.LastMessageDirection is { } direction ? MessageView.ToWire(direction) : null,
        summary.LastMessage?.Text,
        summary.LastMessage is { } content ? MessageView.ToWire(content.Type) : null,
        summary.LastMessageAt);
}
