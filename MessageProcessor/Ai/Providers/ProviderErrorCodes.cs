namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>The error codes a task attempt records for a provider failure.</summary>
public static class ProviderErrorCodes
{
    public const string RateLimited = "rate_limited";
    public const string ServerError = "server_error";
    public const string Timeout = "timeout";
    public const string Unavailable = "unavailable";
    public const string InvalidResponse = "invalid_response";
    public const string CircuitOpen = "circuit_open";
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string NotFound = "not_found";
    public const string ProviderNotConfigured = "provider_not_configured";
}
