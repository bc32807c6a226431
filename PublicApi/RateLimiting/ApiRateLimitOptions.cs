namespace SaasAssistants.PublicApi.RateLimiting;

/// <summary>Configuration section PublicApi:RateLimits: requests per minute by the tenant's plan.</summary>
public sealed class ApiRateLimitOptions
{
    public const string Section = "PublicApi:RateLimits";

    /// <summary>The longest a request waits for Redis before it goes through unlimited: a slow Redis must not slow the API.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(150);

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>By plan name (tenants.plan). A key has its own budget; all of a tenant's keys together have the tenant's.</summary>
    public Dictionary<string, PlanRateLimit> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trial"] = new() { PerKey = 60, PerTenant = 120 },
        ["starter"] = new() { PerKey = 300, PerTenant = 600 },
        ["pro"] = new() { PerKey = 1_200, PerTenant = 3_000 },
        ["enterprise"] = new() { PerKey = 6_000, PerTenant = 15_000 },
    };

    /// <summary>
    /// POST /oauth/token per client IP (before any credential is checked: it slows down guessing) and per client_id (a
    /// client needs a token an hour, not hundreds a minute).
    /// </summary>
    public int TokenRequestsPerIp { get; set; } = 300;

    public int TokenRequestsPerClient { get; set; } = 30;

    public PlanRateLimit For(string? plan)
        => plan is not null && Plans.TryGetValue(plan, out var limit) ? limit : Plans["trial"];
}

public sealed class PlanRateLimit
{
    public int PerKey { get; set; }
    public int PerTenant { get; set; }
}
