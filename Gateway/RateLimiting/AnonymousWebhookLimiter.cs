using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace SaasAssistants.Gateway.RateLimiting;

/// <summary>
/// A per-IP budget for webhooks that prove nothing (an unknown channel key, a missing or wrong signature), checked
/// before their audit row is written: without it, anyone could fill the disk with rejected rows. Per Gateway
/// instance and in memory on purpose: it must cost nothing and work when Redis does not. Authenticated deliveries
/// (Meta's, Twilio's) never count against it.
/// </summary>
public sealed class AnonymousWebhookLimiter(IOptions<AnonymousWebhookLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RejectionsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>True while this client's address may still have an unauthenticated request audited.</summary>
    public bool TryAcquire(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Configuration section <c>RateLimits:Anonymous</c>.</summary>
public sealed class AnonymousWebhookLimitOptions
{
    public const string SectionName = "RateLimits:Anonymous";

    /// <summary>Unauthenticated (rejected) webhooks one IP address may cause to be audited per minute.</summary>
    public int RejectionsPerMinute { get; set; } = 60;
}
