using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.ServiceDefaults;
using SaasAssistants.ServiceDefaults.Health;
using SaasAssistants.ServiceDefaults.Http;
using SaasAssistants.ServiceDefaults.Logging;
using SaasAssistants.ServiceDefaults.Problems;
using SaasAssistants.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service defaults every SaasAssistants service starts with, shaped like the Aspire template's (dotnet/eShop)
/// so moving to the real Aspire packages is a matter of swapping implementations, not call sites.
/// </summary>
public static partial class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var serviceName = ServiceIdentity.GetName(builder);

        builder.AddSerilogLogging(serviceName);
        builder.AddOpenTelemetryExport(serviceName);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);

        builder.Services.AddProblemDetailsDefaults();
        builder.Services.AddContractJsonForHttp();
        builder.Services.AddHttpClientDefaults(builder.Configuration);

        // Correlation id, exception handler and status code pages must wrap the whole pipeline, so they go in
        // through a startup filter instead of depending on where Program.cs calls MapDefaultEndpoints.
        builder.Services.AddTransient<IStartupFilter, ServiceDefaultsStartupFilter>();

        return builder;
    }

    /// <summary>
    /// /health runs every check (readiness: the AppHost's WaitFor polls it), /alive only those tagged "live".
    /// Both answer <c>{"status":..,"checks":{name:status}}</c>, 200 when healthy or degraded, 503 when unhealthy.
    /// Unlike the Aspire template, mapped in every environment: the AppHost and tests probe them everywhere.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });

        return app;
    }
}
