using Aspire.Hosting.ApplicationModel;
using SaasAssistants.AppHost.Servers;

namespace SaasAssistants.AppHost.Services;

internal static class HealthEndpoint
{
    /// <summary>Aspire's WithHttpHealthCheck, polled (see <see cref="PollingHealthCheck"/>): GET <paramref name="path"/> on the "http" endpoint.</summary>
    public static IResourceBuilder<T> WithHealthEndpoint<T>(this IResourceBuilder<T> resource, string path)
        where T : IResourceWithEndpoints
    {
        var endpoint = resource.GetEndpoint("http");
        return resource.WithPollingHealthCheck($"{resource.Resource.Name}-http-health", () => new HttpHealthCheck(endpoint, path));
    }
}
