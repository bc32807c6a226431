namespace SaasAssistants.Gateway.RateLimiting;

public sealed class TenantRateLimitOptions
{
    /// <summary>Inbound webhooks one tenant may send per minute, across all Gateway instances.</summary>
    public int WebhooksPerMinute { get; set; } = 600;

    /// <summary>
    /// How long a webhook waits for Redis's answer before the limiter lets it through: intake must keep its time budget
    /// when Redis is slow or unreachable (without it, a hung Redis held every webhook for over 10 s).
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(100);
}
