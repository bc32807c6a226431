using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SaasAssistants.Gateway.RateLimiting;

/// <summary>
/// Per-tenant fixed windows in Redis, one minute and one UTC day (both counted in one round trip), with the limits of
/// the tenant's plan, shared by every Gateway instance.
/// When Redis is unreachable or slower than <see cref="TenantRateLimitOptions.RedisTimeout"/> the limiter lets traffic
/// through at once: losing or stalling a customer's message is worse than a burst. This class is the Gateway's only
/// use of Redis.
/// </summary>
public sealed class TenantRateLimiter
{
    private const string Script = """
        local minute = redis.call('INCR', KEYS[1])
        if minute == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local day = redis.call('INCR', KEYS[2])
        if day == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        return { minute, day }
        """;
    private readonly Task<IConnectionMultiplexer> _redis;
    private readonly IOptions<TenantRateLimitOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TenantRateLimiter> _logger;
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);
    private long _lastWarning;
    private long _unlimited;

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

    /// <summary>Counts one webhook for the tenant; false when its plan's minute or day is used up.</summary>
    public async Task<bool> TryAcquireAsync(Guid tenantId, string? plan = null)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        RedisKey minuteKey = $"tenant:{tenantId}:ratelimit:webhooks:{now / 60}";
        RedisKey dayKey = $"tenant:{tenantId}:ratelimit:webhooks:day:{now / 86_400}";
        var limit = _options.Value.For(plan);
        var counting = CountAsync(minuteKey, dayKey);
        // Waited without throwing: under load the timeout is the common case, and an exception per request (with a
        // warning line each) made an overloaded Gateway slower still (bench/GatewayIntake).
        await ((Task)counting.WaitAsync(_options.Value.RedisTimeout, _time)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (counting.IsCompletedSuccessfully)
        {
            var (minute, day) = counting.Result;
            return minute <= limit.PerMinute && day <= limit.PerDay;
        }
        WarnFailOpen(tenantId, counting);
        return true;
    }

    /// <summary>At most one warning every <see cref="WarningInterval"/>, with how many requests went through unlimited meanwhile.</summary>
    private void WarnFailOpen(Guid tenantId, Task counting)
    {
        // Observed, so a late failure of the Redis call is not an unobserved task exception.
        _ = counting.ContinueWith(static task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Interlocked.Increment(ref _unlimited);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (last != 0 && _time.GetElapsedTime(last, now) < WarningInterval || Interlocked.CompareExchange(ref _lastWarning, now, last) != last)
        {
            return;
        }

        var error = counting.Exception?.GetBaseException().GetType().Name ?? "TimeoutException";
        _logger.LogWarning("Rate limiter unavailable ({Error}); {Count} requests allowed unlimited since the last warning, the latest of tenant {TenantId}",
            error, Interlocked.Exchange(ref _unlimited, 0), tenantId);
    }

    private async Task<(long Minute, long Day)> CountAsync(RedisKey minuteKey, RedisKey dayKey)
    {
        var redis = await _redis;
        var counts = (long[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [minuteKey, dayKey], [60_000, 86_400_000]))!;
        return (counts[0], counts[1]);
    }
}
