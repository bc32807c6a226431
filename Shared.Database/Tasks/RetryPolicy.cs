namespace SaasAssistants.Database.Tasks;

/// <summary>
/// When a failed task runs again: exponential backoff with full jitter (a uniform delay between zero and
/// base · 2^(attempt−1), capped), which spreads the retries of tasks that failed together, e.g. on a provider's 429,
/// instead of bringing them back in step.
/// </summary>
public sealed class RetryPolicy
{
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    /// <param name="random">Shared by concurrent workers, so it must be thread-safe (Random.Shared, the default); tests pass a seeded one.</param>
    public RetryPolicy(TimeProvider time, Random? random = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _time = time;
        _random = random ?? Random.Shared;
        _baseDelay = baseDelay ?? DefaultBaseDelay;
        _maxDelay = maxDelay ?? DefaultMaxDelay;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_baseDelay, TimeSpan.Zero, nameof(baseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxDelay, _baseDelay, nameof(maxDelay));
    }

    /// <summary>The upper bound of the delay after the given failed attempt (1-based): base · 2^(attempt−1), at most the cap.</summary>
    public TimeSpan Ceiling(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        // Beyond 2^30 the cap has long been reached; the clamp keeps the double far from overflowing a TimeSpan.
        var exponential = _baseDelay.Ticks * Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(exponential, _maxDelay.Ticks));
    }

    public TimeSpan Delay(int failedAttempt) =>
        TimeSpan.FromTicks((long)(_random.NextDouble() * Ceiling(failedAttempt).Ticks));

    public DateTimeOffset NextAttemptAt(int failedAttempt) => _time.GetUtcNow() + Delay(failedAttempt);
}
