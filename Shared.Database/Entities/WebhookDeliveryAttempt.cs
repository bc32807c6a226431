namespace SaasAssistants.Database.Entities;

/// <summary>One POST of a delivery (or the refusal to make it): what the partner's delivery log shows.</summary>
public sealed class WebhookDeliveryAttempt : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid DeliveryId { get; set; }
    public Guid TaskId { get; set; }
    public int AttemptNo { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int DurationMs { get; set; }
    /// <summary>The receiver's HTTP status; null when no answer came (refused target, connection error, timeout).</summary>
    public int? StatusCode { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
}
