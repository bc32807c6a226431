using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SaasAssistants.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (as the AppHost sets it for a
/// dashboard), nothing otherwise. OpenTelemetry.Extensions.Hosting is not available, so the tracer and meter
/// providers are built here as DI singletons: the container disposes (and so flushes) them at shutdown.
/// </summary>
internal static class OpenTelemetryExport
{
    private const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddOpenTelemetryExport(this IHostApplicationBuilder builder, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointKey]))
        {
            return;
        }

        void ConfigureResource(ResourceBuilder resource) => resource.AddService(serviceName);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName));
            logging.AddOtlpExporter();
        });

        builder.Services.AddSingleton(services => Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(own => own.AddSingleton(services.GetRequiredService<IConfiguration>()))
            .ConfigureResource(ConfigureResource)
            .AddSource(TelemetryNames.ActivitySources)
            .AddOtlpExporter()
            .Build());

        builder.Services.AddSingleton(services => Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(own => own.AddSingleton(services.GetRequiredService<IConfiguration>()))
            .ConfigureResource(ConfigureResource)
            .AddMeter(TelemetryNames.Meters)
            .AddOtlpExporter()
            .Build());

        builder.Services.AddHostedService<TelemetryProvidersActivator>();
    }
}
