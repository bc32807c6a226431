using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.ServiceDefaults.Problems;

/// <summary>
/// RFC 7807 bodies for every error the pipeline produces (unhandled exceptions, empty 4xx/5xx), each carrying the
/// ids a support engineer needs to find the request in traces and logs.
/// </summary>
internal static class ProblemDetailsDefaults
{
    public static IServiceCollection AddProblemDetailsDefaults(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var extensions = context.ProblemDetails.Extensions;
            extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (CorrelationContext.Current is { } correlationId)
            {
                extensions["correlationId"] = correlationId;
            }

            // In Development the framework's exception page adds the request's headers, which would echo secrets such
            // as X-Api-Key back into the body; keep only the exception itself.
            if (extensions.ContainsKey("exception"))
            {
                extensions["exception"] = new { details = context.Exception?.ToString() };
            }
        });
}
