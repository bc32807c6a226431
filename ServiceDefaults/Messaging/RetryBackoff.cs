namespace SaasAssistants.ServiceDefaults.Messaging;

/// <summary>Exponential backoff with jitter, capped, for reconnect loops that must never give up.</summary>
internal static class RetryBackoff
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(500);
    // Short enough that a broker coming back is noticed within seconds, long enough not to hammer a dead one.
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    public static TimeSpan For(int attempt)
    {
        var exponential = Initial * Math.Pow(2, Math.Min(attempt, 8));
        var capped = exponential < Max ? exponential : Max;
        // ±20 % so that services restarted together do not reconnect in lockstep.
        return capped * (0.8 + Random.Shared.NextDouble() * 0.4);
    }
}
