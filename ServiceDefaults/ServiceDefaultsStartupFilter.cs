using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

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
        app.UseCorrelationId();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        next(app);
    };
}
