namespace SaasAssistants.Database.Tasks;

/// <summary>
/// When a failed task runs again: <see cref="Backoff"/> (exponential, full jitter, capped) with the task engine's
/// base and cap, which spreads the retries of tasks that failed together, e.g. on a provider's 429.
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
    public TimeSpan Ceiling(int failedAttempt) => Backoff.Ceiling(failedAttempt, _baseDelay, _maxDelay);

    public TimeSpan Delay(int failedAttempt) => Backoff.Delay(failedAttempt, _baseDelay, _maxDelay, _random);

    public DateTimeOffset NextAttemptAt(int failedAttempt) => _time.GetUtcNow() + Delay(failedAttempt);
}
