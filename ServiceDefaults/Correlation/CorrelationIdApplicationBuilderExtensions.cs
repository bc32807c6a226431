using SaasAssistants.ServiceDefaults.Correlation;

namespace Microsoft.AspNetCore.Builder;

public static class CorrelationIdApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the correlation id middleware. AddServiceDefaults already adds it first in the pipeline (startup filter);
    /// call this only in an app that does not use the service defaults.
    /// </summary>
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) =>
        app.UseMiddleware<CorrelationIdMiddleware>();
}
