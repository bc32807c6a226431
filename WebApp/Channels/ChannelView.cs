namespace SaasAssistants.WebApp.Channels;

/// <summary>A channel as the page shows it: secrets only as whether they are set, never their values.</summary>
public sealed record ChannelView(
    Guid Id,
    string Kind,
    string Name,
    string Status,
    string ChannelKey,
    string? AccountId,
    string? ProviderAccountId,
    Guid? AssistantId,
    string? AssistantName,
    bool HasAccessToken,
    bool HasVerifyToken,
    bool HasSecret,
    string[] AllowedOrigins,
    DateTimeOffset CreatedAt)
{
    public bool IsActive => Status == "active";
}
