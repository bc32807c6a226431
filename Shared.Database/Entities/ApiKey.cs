namespace SaasAssistants.Database.Entities;

/// <summary>A partner's key to the PublicApi. The key itself is never stored: only its prefix and SHA-256 hash.</summary>
public sealed class ApiKey : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>The public API scopes the key grants; null grants every scope.</summary>
    public string[]? Scopes { get; set; }
}
