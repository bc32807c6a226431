namespace SaasAssistants.Database.Webhooks;

/// <summary>The <c>Webhooks:Delivery</c> section, read by the MessageProcessor (delivery) and the PublicApi (replay).</summary>
public sealed class WebhookDeliveryOptions
{
    public const string SectionName = "Webhooks:Delivery";

    /// <summary>Attempts per delivery. The backoff (Tasks:RetryPolicies:webhook.deliver) spreads them over the retry window.</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>How long a delivery is retried: a failure after this is final, even with attempts left.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long the receiver has to answer one POST.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A subscription is disabled after this many failed attempts in a row (any event)...</summary>
    public int DisableAfterConsecutiveFailures { get; set; } = 100;

    /// <summary>...or when every attempt has failed for this long: as long as one event is retried, the endpoint is gone.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Lets deliveries reach loopback, private and link-local addresses. Null means "only in Development"; a local
    /// receiver in tests sets it to true.
    /// </summary>
    public bool? AllowPrivateTargets { get; set; }
}
