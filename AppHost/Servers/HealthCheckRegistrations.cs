using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasAssistants.AppHost.Servers;

internal static class HealthCheckRegistrations
{
    /// <summary>Registers <paramref name="create"/> under <paramref name="key"/>, polled (<see cref="PollingHealthCheck"/>), as the resource's health check.</summary>
    public static IResourceBuilder<T> WithPollingHealthCheck<T>(this IResourceBuilder<T> resource, string key, Func<IHealthCheck> create)
        where T : IResource
    {
        resource.ApplicationBuilder.Services.AddHealthChecks().Add(
            new HealthCheckRegistration(key, _ => new PollingHealthCheck(create()), failureStatus: null, tags: null));
        return resource.WithHealthCheck(key);
    }
}
