namespace SaasAssistants.Database.Entities;

/// <summary>
/// One event for one subscription. The body and <see cref="MessageId"/> (the Standard Webhooks <c>webhook-id</c>) are
/// fixed when the event fans out, so every retry and replay sends the same bytes under the same id and a receiver can
/// de-duplicate. Whether it arrived is the status of <see cref="TaskId"/>, the <c>webhook.deliver</c> task now responsible.
/// </summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid SubscriptionId { get; set; }
    /// <summary>The integration event this delivery reports (unique per subscription: a redelivered event fans out once).</summary>
    public Guid EventId { get; set; }
    /// <summary>The public event name, e.g. message.created.</summary>
    public required string EventType { get; set; }
    public required string MessageId { get; set; }
    public required string Body { get; set; }
    public Guid TaskId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
