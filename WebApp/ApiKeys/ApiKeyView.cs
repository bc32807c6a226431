namespace SaasAssistants.WebApp.ApiKeys;

/// <summary>An API key as the page lists it: its prefix identifies it; the key itself is never stored, so never shown.</summary>
public sealed record ApiKeyView(Guid Id, string Name, string Prefix, string[]? Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}
