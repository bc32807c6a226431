namespace SaasAssistants.Database.Entities;

/// <summary>A partner's endpoint for outbound events, signed per Standard Webhooks with its own secret.</summary>
public sealed class WebhookSubscription : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Url { get; set; }
    public required string[] Events { get; set; }
    /// <summary>whsec_..., AES-GCM encrypted with the deployment's key.</summary>
    public required byte[] SecretEncrypted { get; set; }
    /// <summary>The current secret's id, new at every rotation: what a rotation's Idempotency-Key points at.</summary>
    public Guid? SecretId { get; set; }
    public byte[]? PreviousSecretEncrypted { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public string Status { get; set; } = "active";
    public string? DisabledReason { get; set; }
    public int ConsecutiveFailures { get; set; }
    /// <summary>The first failed attempt of the current run of failures (a success clears it).</summary>
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
