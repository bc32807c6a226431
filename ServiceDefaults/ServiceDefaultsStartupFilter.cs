using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SaasAssistants.ServiceDefaults;

/// <summary>
/// Puts the cross-cutting middleware in front of everything the service adds itself, whatever order Program.cs
/// uses: correlation id first (so even the error response carries it), then the exception handler and status code
/// pages, which turn failures into problem+json.
/// </summary>
internal sealed class ServiceDefaultsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // Build the telemetry providers before the server takes its first request (no-ops when export is off).
        app.ApplicationServices.GetService<TracerProvider>();
        app.ApplicationServices.GetService<MeterProvider>();

        app.UseCorrelationId();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        next(app);
    };
}
