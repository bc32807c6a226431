namespace SaasAssistants.Gateway.RateLimiting;

/// <summary>Configuration section <c>RateLimits</c>: inbound webhooks per tenant, per minute and per day, by plan.</summary>
public sealed class TenantRateLimitOptions
{
    /// <summary>Per minute for a plan not listed in <see cref="Plans"/> (and for channels whose plan is not known).</summary>
    public int WebhooksPerMinute { get; set; } = 600;

    /// <summary>Per UTC day for a plan not listed in <see cref="Plans"/>.</summary>
    public int WebhooksPerDay { get; set; } = 100_000;

    /// <summary>By plan name (tenants.plan): what one tenant may send across all Gateway instances.</summary>
    public Dictionary<string, WebhookPlanLimit> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trial"] = new() { PerMinute = 60, PerDay = 2_000 },
        ["starter"] = new() { PerMinute = 300, PerDay = 20_000 },
        ["pro"] = new() { PerMinute = 1_200, PerDay = 200_000 },
        ["enterprise"] = new() { PerMinute = 6_000, PerDay = 2_000_000 },
    };

    /// <summary>
    /// How long a webhook waits for Redis's answer before the limiter lets it through: intake must keep its time budget
    /// when Redis is slow or unreachable (without it, a hung Redis held every webhook for over 10 s).
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    public WebhookPlanLimit For(string? plan) => plan is not null && Plans.TryGetValue(plan, out var limit)
        ? limit
        : new WebhookPlanLimit { PerMinute = WebhooksPerMinute, PerDay = WebhooksPerDay };
}

public sealed class WebhookPlanLimit
{
    public int PerMinute { get; set; }

    public int PerDay { get; set; }
}
