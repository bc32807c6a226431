using Microsoft.Extensions.Logging;

namespace SaasAssistants.ServiceDefaults.Correlation;

/// <summary>Opens a logging scope that makes every log line inside it carry the CorrelationId property.</summary>
public static class CorrelationLogScope
{
    public static IDisposable? Begin(ILogger logger, string correlationId) =>
        // A key/value list is what Serilog (and OpenTelemetry with IncludeScopes) turn into structured properties.
        logger.BeginScope(new[] { new KeyValuePair<string, object>(CorrelationContext.LogPropertyName, correlationId) });
}
