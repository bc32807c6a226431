using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.AppHost.Servers;
using SaasAssistants.AppHost.State;

namespace Aspire.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// Redis: the existing one named by <c>ConnectionStrings:{name}</c>; else, where a container runtime answers, Aspire's
    /// own container (with a data volume); else a local redis-server on <paramref name="port"/>.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRedis(this IDistributedApplicationBuilder builder, string name, int port, AppHostState state)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 })
        {
            return builder.AddConnectionString(name);
        }

        if (ContainerRuntime.IsAvailable(builder.Configuration))
        {
            return builder.AddRedis(name, port).WithDataVolume().WithPersistence();
        }

        var directory = state.GetDirectory(name);
        return builder.AddResource(new LocalRedisResource(name, directory))
            .WithArgs(
                "--port", port.ToString(CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--dir", directory,
                "--save", string.Empty,
                "--appendonly", "yes")
            .WithEndpoint(LocalRedisResource.EndpointName, e =>
            {
                e.Port = port;
                e.TargetPort = port;
                e.UriScheme = "tcp";
                e.IsProxied = false;
            })
            .WithPollingHealthCheck($"{name}-ping", () => TcpHealthCheck.RedisPing(port));
    }
}
