using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SaasAssistants.ServiceDefaults;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.ServiceDefaults.Health;
using SaasAssistants.ServiceDefaults.Http;
using SaasAssistants.ServiceDefaults.Logging;
using SaasAssistants.ServiceDefaults.Problems;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service defaults every SaasAssistants service starts with, in the shape of Aspire's template (dotnet/eShop):
/// OpenTelemetry, health checks, service discovery and resilience for every HttpClient; plus ours: Serilog (console
/// and daily files in logs/), problem details and the correlation id.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddSerilogLogging(ServiceIdentity.GetName(builder));
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddHttpMessageHandler(() => new CorrelationIdPropagationHandler());
            // Turn on resilience by default: timeouts, circuit breaker, and retries of idempotent requests only (a
            // retried POST could send a customer's message twice). Longer than the package's defaults, because some
            // calls (AI providers, the Graph API) are slow but healthy.
            http.AddStandardResilienceHandler(options =>
            {
                options.Retry.DisableForUnsafeHttpMethods();
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
            // Turn on service discovery by default: http://gateway resolves through services:gateway:http:0.
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetailsDefaults();
        builder.Services.AddContractJsonForHttp();

        // Correlation id, exception handler and status code pages must wrap the whole pipeline, so they go in
        // through a startup filter instead of depending on where Program.cs calls MapDefaultEndpoints.
        builder.Services.AddTransient<IStartupFilter, ServiceDefaultsStartupFilter>();

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Exporters only when someone listens (the AppHost sets the endpoint of its dashboard).
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySources.Meters))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetrySources.ActivitySources)
                // Probes arrive every few seconds; they would drown the requests that matter.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (exporting)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        else
        {
            // With nobody to send them to, spans are pure cost: the Aspire client integrations add Npgsql, Redis and
            // RabbitMQ tracing to this same provider, and every request, command and publish built its activities for
            // nothing (bench/GatewayIntake: a fifth of the Gateway's CPU per webhook). Sampling nothing creates none;
            // the correlation id, which the logs and the audit rows carry, does not depend on them.
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOffSampler()));
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // A liveness check that only says the process answers; the client integrations add the readiness checks.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        return builder;
    }

    /// <summary>
    /// /health runs every check (readiness: the AppHost's WaitFor polls it), /alive only those tagged "live".
    /// Both answer <c>{"status":..,"checks":{name:status}}</c>, 200 when healthy or degraded, 503 when unhealthy.
    /// Unlike the Aspire template, mapped in every environment: the AppHost and tests probe them everywhere, and
    /// the body names checks and states only, no exception text.
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

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
