namespace SaasAssistants.ServiceDefaults.Correlation;

/// <summary>
/// The correlation id of the work in progress (an HTTP request or a consumed message). AsyncLocal so it flows
/// through awaits into everything the request starts, and code far from the request (outbox writers, HttpClient
/// handlers) can stamp it onto what it sends without threading it through every signature.
/// </summary>
public static class CorrelationContext
{
    public const string HeaderName = "X-Correlation-Id";

    /// <summary>Property name in log events and problem details.</summary>
    public const string LogPropertyName = "CorrelationId";

    /// <summary>Tag on the request's or message's Activity, so a trace can be found by the id a customer quotes.</summary>
    public const string ActivityTagName = "correlation.id";

    private static readonly AsyncLocal<string?> CurrentId = new();

    public static string? Current
    {
        get => CurrentId.Value;
        set => CurrentId.Value = value;
    }
}
