namespace SaasAssistants.Database.Webhooks;

/// <summary>The <c>Webhooks:Delivery</c> section, read by the MessageProcessor (delivery) and the PublicApi (replay).</summary>
public sealed class WebhookDeliveryOptions
{
    public const string SectionName = "Webhooks:Delivery";

    /// <summary>
    /// Attempts per delivery: a backstop, the retry window is what ends a failing delivery. With full jitter the default
    /// backoff (30 s doubling to 8 h) averages about 4 h a retry once capped, so 50 attempts outlast 3 days by far; with
    /// 30, about one delivery in five ran out of attempts before its window ended.
    /// </summary>
    public int MaxAttempts { get; set; } = 50;

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
