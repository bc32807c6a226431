using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SaasAssistants.PublicApi.RateLimiting;

/// <summary>What one request's count says: how many are left in each budget and when the tighter one refills.</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan Reset);

/// <summary>
/// Two windows per request in one Redis round trip, shared by every instance: the key's and its tenant's. A window
/// starts with its first request and lasts <see cref="ApiRateLimitOptions.Window"/> (INCR, and PEXPIRE on the first),
/// so there is no burst at a clock-minute boundary. Redis being slow or down lets the request through: a partner's
/// integration should not stop because a counter is unreachable. Null means "not counted".
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, IOptions<ApiRateLimitOptions> options, ILogger<RedisRateLimiter> logger)
{
    // Returns {key count, key ttl ms, tenant count, tenant ttl ms}.
    private const string Script = """
        local k = redis.call('INCR', KEYS[1]) if k == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local t = redis.call('INCR', KEYS[2]) if t == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
        return {k, redis.call('PTTL', KEYS[1]), t, redis.call('PTTL', KEYS[2])}
        """;

    private const string SingleScript = """
        local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return {n, redis.call('PTTL', KEYS[1])}
        """;

    /// <summary>
    /// One budget for requests made before a tenant is known (POST /oauth/token): counted under
    /// <paramref name="bucket"/>, e.g. the client's IP. Same window and same fail-open rule as the API's budgets.
    /// </summary>
    public async Task<RateLimitDecision?> CountAsync(string bucket, int limit, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            return null;
        }
        var settings = options.Value;
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase()
                .ScriptEvaluateAsync(SingleScript, [(RedisKey)$"ratelimit:{bucket}"], [(long)settings.Window.TotalMilliseconds])
                .WaitAsync(settings.RedisTimeout, cancellationToken))!;
            var (count, ttl) = ((long)result[0], (long)result[1]);
            var reset = TimeSpan.FromMilliseconds(Math.Max(0, ttl < 0 ? settings.Window.TotalMilliseconds : ttl));
            return new RateLimitDecision(count <= limit, limit, (int)Math.Max(0, limit - count), reset);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Rate limiter unavailable for {Bucket}; allowing the request", bucket);
            return null;
        }
    }

    public async Task<RateLimitDecision?> CountAsync(Guid tenantId, Guid apiKeyId, PlanRateLimit limit, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            return null;
        }

        var settings = options.Value;
        RedisKey[] keys = [$"tenant:{tenantId}:ratelimit:api-key:{apiKeyId}", $"tenant:{tenantId}:ratelimit:api"];
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase()
                .ScriptEvaluateAsync(Script, keys, [(long)settings.Window.TotalMilliseconds])
                .WaitAsync(settings.RedisTimeout, cancellationToken))!;
            var (keyCount, keyTtl, tenantCount, tenantTtl) = ((long)result[0], (long)result[1], (long)result[2], (long)result[3]);
            var keyLeft = limit.PerKey - keyCount;
            var tenantLeft = limit.PerTenant - tenantCount;
            // The budget closer to running out is the one the client must pace itself by.
            var (budget, left, ttl) = keyLeft <= tenantLeft ? (limit.PerKey, keyLeft, keyTtl) : (limit.PerTenant, tenantLeft, tenantTtl);
            var reset = TimeSpan.FromMilliseconds(Math.Max(0, ttl < 0 ? settings.Window.TotalMilliseconds : ttl));
            return new RateLimitDecision(keyLeft >= 0 && tenantLeft >= 0, budget, (int)Math.Max(0, left), reset);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Rate limiter unavailable for tenant {TenantId}; allowing the request", tenantId);
            return null;
        }
    }
}
