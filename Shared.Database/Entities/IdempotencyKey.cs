namespace SaasAssistants.Database.Entities;

/// <summary>An Idempotency-Key a tenant sent with a creating POST, and what that request created.</summary>
public sealed class IdempotencyKey : ITenantOwned
{
    public Guid TenantId { get; set; }
    public required string Key { get; set; }
    /// <summary>What was created, e.g. "assistants.create": a key replayed on another operation is a different request.</summary>
    public required string Operation { get; set; }
    public required string RequestHash { get; set; }
    public Guid ResourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
