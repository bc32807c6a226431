namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// <c>Ai:CircuitBreaker</c>, applied to each provider on its own. The circuit opens when, within
/// <see cref="SamplingSeconds"/>, at least <see cref="FailuresToOpen"/> calls were made and every one failed in a way
/// worth retrying; after <see cref="BreakSeconds"/> one call is let through to probe the provider.
/// </summary>
public sealed class CircuitBreakerSettings
{
    /// <summary>Polly's minimum throughput, which it requires to be at least 2.</summary>
    public int FailuresToOpen { get; set; } = 5;

    public double SamplingSeconds { get; set; } = 60;

    public double BreakSeconds { get; set; } = 30;
}
