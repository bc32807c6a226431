namespace SaasAssistants.Database;

/// <summary>
/// The one backoff formula: exponential with full jitter, capped — a uniform delay between zero and
/// base · 2^(attempt−1), at most <c>max</c>. Jitter spreads the retries of everything that failed together (instances
/// restarted with the broker, tasks failed on one 429) instead of bringing them back in step.
/// </summary>
public static class Backoff
{
    /// <summary>Reconnect loops (database LISTEN, RabbitMQ, consumers, claim loops): quick first retries, then at most 10 s.</summary>
    public static readonly TimeSpan ReconnectBase = TimeSpan.FromMilliseconds(250);

    /// <summary>Short enough that a server coming back is noticed within seconds, long enough not to hammer a dead one.</summary>
    public static readonly TimeSpan ReconnectMax = TimeSpan.FromSeconds(10);

    /// <summary>The upper bound after the given failed attempt (1-based): base · 2^(attempt−1), at most <paramref name="max"/>.</summary>
    public static TimeSpan Ceiling(int failedAttempt, TimeSpan baseDelay, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        // Beyond 2^30 the cap has long been reached; the clamp keeps the double far from overflowing a TimeSpan.
        var exponential = baseDelay.Ticks * Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(exponential, max.Ticks));
    }

    /// <param name="random">Thread-safe when shared (Random.Shared, the default); tests pass a seeded one.</param>
    public static TimeSpan Delay(int failedAttempt, TimeSpan baseDelay, TimeSpan max, Random? random = null) =>
        TimeSpan.FromTicks((long)((random ?? Random.Shared).NextDouble() * Ceiling(failedAttempt, baseDelay, max).Ticks));

    /// <summary>The wait before reconnect attempt <paramref name="failures"/> + 1 of a loop that never gives up.</summary>
    public static TimeSpan Reconnect(int failures) => Delay(Math.Max(failures, 1), ReconnectBase, ReconnectMax);
}
