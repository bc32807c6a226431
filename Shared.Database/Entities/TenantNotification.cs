namespace SaasAssistants.Database.Entities;

/// <summary>
/// Something the tenant must be told (a webhook subscription disabled, ...), shown in the CRM until someone marks it
/// read. The CRM words it in the reader's language from <see cref="Kind"/>, <see cref="Subject"/> and <see cref="Detail"/>.
/// </summary>
public sealed class TenantNotification : ITenantOwned
{
    public const string WebhookSubscriptionDisabled = "webhook_subscription_disabled";

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Kind { get; set; }
    /// <summary>What it is about, e.g. the disabled subscription's id.</summary>
    public Guid? SubjectId { get; set; }
    /// <summary>A short name for it, e.g. the subscription's URL.</summary>
    public string? Subject { get; set; }
    /// <summary>Why, e.g. the reason the subscription was disabled.</summary>
    public string? Detail { get; set; }
    /// <summary>The integration event that raised it (unique per tenant): a redelivery adds nothing.</summary>
    public Guid SourceEventId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public Guid? ReadBy { get; set; }
}
