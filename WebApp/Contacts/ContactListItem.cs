namespace SaasAssistants.WebApp.Contacts;

/// <summary>A row of the contact list.</summary>
public sealed record ContactListItem(Guid Id, string? DisplayName, string ExternalId, string ChannelType, string? Email, string? Phone,
    int ConversationCount, DateTimeOffset? LastMessageAt, bool Erased)
{
    public string Name => DisplayName ?? ExternalId;
}
