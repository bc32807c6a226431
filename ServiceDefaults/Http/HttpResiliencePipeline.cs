using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace SaasAssistants.ServiceDefaults.Http;

/// <summary>
/// The Polly.Core pipeline behind <see cref="ResilienceHandler"/>: total timeout → retry → attempt timeout, the order of
/// Microsoft.Extensions.Http.Resilience's standard handler (not available here).
/// </summary>
internal static class HttpResiliencePipeline
{
    // Only methods that are safe to repeat: a retried POST could create a second order, reply or webhook.
    private static readonly HashSet<HttpMethod> IdempotentMethods =
        [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Trace];

    public static ResiliencePipeline<HttpResponseMessage> Create(HttpResilienceOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(options.TotalTimeout);

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Context, args.Outcome)),
                OnRetry = args =>
                {
                    args.Context.Properties.TryGetValue(RequestUri, out var uri);
                    logger.LogWarning("Retrying {Method} {Uri} in {Delay:0.000}s (retry {Retry}) after {Outcome}",
                        args.Context.Properties.GetValue(RequestMethod, HttpMethod.Get), uri?.GetLeftPart(UriPartial.Path),
                        args.RetryDelay.TotalSeconds, args.AttemptNumber + 1,
                        args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}");
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    internal static readonly ResiliencePropertyKey<HttpMethod> RequestMethod = new("SaasAssistants.Http.RequestMethod");
    internal static readonly ResiliencePropertyKey<Uri?> RequestUri = new("SaasAssistants.Http.RequestUri");

    private static bool IsRetryable(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (!context.Properties.TryGetValue(RequestMethod, out var method) || !IdempotentMethods.Contains(method))
        {
            return false;
        }

        return outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } response } => IsTransient(response.StatusCode),
            _ => false,
        };
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
