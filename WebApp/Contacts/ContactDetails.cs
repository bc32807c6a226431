namespace SaasAssistants.WebApp.Contacts;

/// <summary>A contact as its page shows and edits it.</summary>
public sealed record ContactDetails(Guid Id, Guid ChannelId, string ChannelType, string ChannelName, string ExternalId, string? DisplayName,
    string? Email, string? Phone, string? Notes, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt)
{
    public string Name => DisplayName ?? ExternalId;
}
