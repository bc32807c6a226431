using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SaasAssistants.Gateway.RateLimiting;

/// <summary>
/// A per-tenant fixed window in Redis (INCR + EXPIRE in one round trip), shared by every Gateway instance.
/// When Redis is unreachable the limiter lets traffic through: losing a customer's message is worse than a burst.
/// </summary>
public sealed class TenantRateLimiter(IConnectionMultiplexer redis, IOptions<TenantRateLimitOptions> options, TimeProvider time, ILogger<TenantRateLimiter> logger)
{
    private const string Script = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

    public async Task<bool> TryAcquireAsync(Guid tenantId)
    {
        var window = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        RedisKey key = $"tenant:{tenantId}:ratelimit:webhooks:{window}";
        try
        {
            var count = (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], [60_000]);
            return count <= options.Value.WebhooksPerMinute;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Rate limiter unavailable for tenant {TenantId}; allowing the request", tenantId);
            return true;
        }
    }
}
