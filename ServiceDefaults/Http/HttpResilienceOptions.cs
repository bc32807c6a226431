namespace SaasAssistants.ServiceDefaults.Http;

/// <summary>
/// Resilience defaults for every HttpClient from IHttpClientFactory; configuration section "HttpClientDefaults".
/// Attempts are generous because some calls (AI providers, Graph API) are slow but healthy.
/// </summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "HttpClientDefaults";

    /// <summary>Upper bound for one call including every retry.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Upper bound for one attempt; an attempt that times out is retried like a transient error.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for idempotent methods only. 0 turns retries off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(300);
}
