namespace SaasAssistants.Database.Entities;

/// <summary>An integration event waiting to be published; written in the same transaction as the change it reports.</summary>
public sealed class OutboxMessage : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public string? CorrelationId { get; set; }
    /// <summary>W3C traceparent of the activity that wrote the event; the relay publishes it as that activity's child.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
}
