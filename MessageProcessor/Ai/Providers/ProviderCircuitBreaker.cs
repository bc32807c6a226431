using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// Polly's circuit breaker, shaped for one AI provider: a provider that keeps failing is skipped at once, so a
/// chain falls back in microseconds instead of waiting out a timeout on every call.
/// </summary>
public static class ProviderCircuitBreaker
{
    public static ResiliencePipeline Create(string provider, CircuitBreakerSettings settings, TimeProvider timeProvider, ILogger logger)
        => new ResiliencePipelineBuilder { Name = $"ai-provider-{provider}", TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // Every sampled call failed: Polly's closest shape to "N failures in a row".
                FailureRatio = 1.0,
                MinimumThroughput = settings.FailuresToOpen,
                SamplingDuration = TimeSpan.FromSeconds(settings.SamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(settings.BreakSeconds),
                // Only failures that say something about the provider's health; a bad request is the caller's.
                ShouldHandle = new PredicateBuilder().Handle<ProviderException>(failure => failure.IsRetryable),
                OnOpened = args =>
                {
                    logger.LogWarning("AI provider {Provider} circuit opened for {BreakDuration}", provider, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("AI provider {Provider} circuit closed", provider);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
