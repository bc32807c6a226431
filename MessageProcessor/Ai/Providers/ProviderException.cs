namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// A provider call that failed, classified for the task engine: <see cref="ErrorCode"/> goes into the attempt's
/// audit row and <see cref="IsRetryable"/> decides between a retry with backoff and ending the task at once.
/// </summary>
public sealed class ProviderException(
    string provider, string errorCode, bool isRetryable, string message, Exception? innerException = null,
    int? statusCode = null, TimeSpan? retryAfter = null)
    : Exception(message, innerException)
{
    /// <summary>The configured provider name (<c>Ai:Providers:{name}</c>), not the vendor.</summary>
    public string Provider { get; } = provider;

    public string ErrorCode { get; } = errorCode;

    public bool IsRetryable { get; } = isRetryable;

    /// <summary>The HTTP status the provider answered with, when it answered.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>How long the provider asked us to wait, when it said so.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static ProviderException FromStatus(string provider, int status, string detail, Exception? inner, TimeSpan? retryAfter = null)
    {
        var (code, retryable) = status switch
        {
            408 => (ProviderErrorCodes.Timeout, true),
            429 => (ProviderErrorCodes.RateLimited, true),
            401 or 403 => (ProviderErrorCodes.Unauthorized, false),
            404 => (ProviderErrorCodes.NotFound, false),
            >= 500 => (ProviderErrorCodes.ServerError, true),
            // No status means the request never got an answer: the network, not the request, is at fault.
            0 => (ProviderErrorCodes.Unavailable, true),
            _ => (ProviderErrorCodes.BadRequest, false),
        };
        return new(provider, code, retryable, $"Provider '{provider}' answered {status}: {detail}", inner, status == 0 ? null : status, retryAfter);
    }

    public static ProviderException Timeout(string provider, TimeSpan timeout, Exception? inner)
        => new(provider, ProviderErrorCodes.Timeout, true, $"Provider '{provider}' did not answer within {timeout.TotalSeconds:0.###} s.", inner);

    public static ProviderException Unavailable(string provider, Exception inner)
        => new(provider, ProviderErrorCodes.Unavailable, true, $"Provider '{provider}' could not be reached: {inner.Message}", inner);

    /// <summary>Retryable: a garbled body is usually a proxy or an overloaded server, rarely the request's fault.</summary>
    public static ProviderException InvalidResponse(string provider, Exception inner)
        => new(provider, ProviderErrorCodes.InvalidResponse, true, $"Provider '{provider}' sent a response that could not be read: {inner.Message}", inner);

    public static ProviderException NotConfigured(string provider)
        => new(provider, ProviderErrorCodes.ProviderNotConfigured, false, $"No AI provider named '{provider}' is configured (Ai:Providers:{provider}).");

    public static ProviderException CircuitOpen(string provider, TimeSpan? retryAfter, Exception inner)
        => new(provider, ProviderErrorCodes.CircuitOpen, true, $"Provider '{provider}' is skipped: it kept failing, so its circuit is open.", inner, retryAfter: retryAfter);

    public static ProviderException BadRequest(string provider, string detail)
        => new(provider, ProviderErrorCodes.BadRequest, false, $"Provider '{provider}' cannot take this request: {detail}");

    /// <summary>The same failure, marked retryable: another provider in the chain failed transiently before it.</summary>
    public ProviderException AsRetryable()
        => IsRetryable ? this : new(Provider, ErrorCode, true, Message, this, StatusCode, RetryAfter);
}
