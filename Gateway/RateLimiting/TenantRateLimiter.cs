using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SaasAssistants.Gateway.RateLimiting;

/// <summary>
/// A per-tenant fixed window in Redis (INCR + EXPIRE in one round trip), shared by every Gateway instance.
/// When Redis is unreachable or slower than <see cref="TenantRateLimitOptions.RedisTimeout"/> the limiter lets traffic
/// through at once: losing or stalling a customer's message is worse than a burst. This class is the Gateway's only
/// use of Redis.
/// </summary>
public sealed class TenantRateLimiter
{
    private const string Script = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";
    private readonly Task<IConnectionMultiplexer> _redis;
    private readonly IOptions<TenantRateLimitOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TenantRateLimiter> _logger;

    public TenantRateLimiter(IServiceProvider services, IOptions<TenantRateLimitOptions> options, TimeProvider time, ILogger<TenantRateLimiter> logger)
    {
        // The multiplexer connects synchronously when first resolved (seconds, when Redis is down): off the request path,
        // on a thread of its own so that the blocked wait does not take one from the pool that serves requests.
        _redis = Task.Factory.StartNew(services.GetRequiredService<IConnectionMultiplexer>, CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<bool> TryAcquireAsync(Guid tenantId)
    {
        var window = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        RedisKey key = $"tenant:{tenantId}:ratelimit:webhooks:{window}";
        try
        {
            var count = await CountAsync(key).WaitAsync(_options.Value.RedisTimeout, _time);
            return count <= _options.Value.WebhooksPerMinute;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning("Rate limiter unavailable for tenant {TenantId} ({Error}); allowing the request", tenantId, ex.GetType().Name);
            return true;
        }
    }

    private async Task<long> CountAsync(RedisKey key)
    {
        var redis = await _redis;
        return (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, [key], [60_000]);
    }
}
