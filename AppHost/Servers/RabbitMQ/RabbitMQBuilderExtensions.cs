using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.AppHost.Servers;
using SaasAssistants.AppHost.State;

namespace Aspire.Hosting;

public static class RabbitMQBuilderExtensions
{
    /// <summary>
    /// RabbitMQ: the existing broker named by <c>ConnectionStrings:{name}</c> (an amqp:// URI); else, where a container
    /// runtime answers, Aspire's own container with the management plugin and a data volume; else a local node with
    /// AMQP on <paramref name="port"/> and the management UI on <paramref name="managementPort"/>. Its Erlang
    /// distribution port and port mapper (epmd) listen on <paramref name="distributionPort"/> and <paramref name="epmdPort"/>.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, int port, int managementPort, int distributionPort, int epmdPort, AppHostState state)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 })
        {
            return builder.AddConnectionString(name);
        }

        if (ContainerRuntime.IsAvailable(builder.Configuration))
        {
            return builder.AddRabbitMQ(name, port: port).WithManagementPlugin(managementPort).WithDataVolume();
        }

        var directory = state.GetDirectory(name);
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[rabbitmq_management].");
        File.WriteAllLines(Path.Combine(directory, "rabbitmq.conf"),
        [
            $"listeners.tcp.default = {port}",
            // Console only: DCP captures it for the dashboard.
            "log.console = true",
            "log.console.level = info",
            "log.file = false",
            $"management.tcp.port = {managementPort}",
            "management.tcp.ip = 127.0.0.1",
        ]);

        // A port mapper of our own in the foreground: rabbit's usual `epmd -daemon` would outlive every stop.
        var epmd = builder.AddExecutable($"{name}-epmd", "/usr/bin/epmd", directory, "-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1")
            .WithPollingHealthCheck($"{name}-epmd-port", () => TcpHealthCheck.EpmdNames(epmdPort));

        var server = builder.AddResource(new LocalRabbitMQServerResource(name, directory))
            .WithEnvironment("HOME", Path.Combine(directory, "home"))
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_NODENAME", "rabbit@localhost")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(directory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(directory, "log"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(directory, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_FEATURE_FLAGS_FILE", Path.Combine(directory, "feature_flags"))
            .WithEnvironment("RABBITMQ_PLUGINS_EXPAND_DIR", Path.Combine(directory, "plugins"))
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(directory, "rabbitmq"))
            // Keep the machine-wide files in /etc/rabbitmq out of it.
            .WithEnvironment("RABBITMQ_CONF_ENV_FILE", Path.Combine(directory, "rabbitmq-env.conf"))
            .WithEnvironment("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(directory, "advanced.config"))
            .WithEndpoint(LocalRabbitMQServerResource.EndpointName, e =>
            {
                e.Port = port;
                e.TargetPort = port;
                e.UriScheme = "tcp";
                e.IsProxied = false;
            })
            .WithHttpEndpoint(port: managementPort, targetPort: managementPort, name: LocalRabbitMQServerResource.ManagementEndpointName, isProxied: false)
            .WithPollingHealthCheck($"{name}-amqp-and-management", () => new RabbitMQHealthCheck(port, managementPort))
            .WaitFor(epmd);
        epmd.WithParentRelationship(server);
        return server;
    }

    /// <summary>Healthy = AMQP accepts connections and the management API answers /api/overview.</summary>
    private sealed class RabbitMQHealthCheck(int amqpPort, int managementPort) : IHealthCheck
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
        // AMQP 0-9-1 protocol header: the broker answers with its own (or closes on a mismatch, after replying).
        private readonly TcpHealthCheck _amqp = new(amqpPort, "AMQP\0\0\x09\x01"u8.ToArray());

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var port = await _amqp.CheckHealthAsync(context, cancellationToken);
            if (port.Status != HealthStatus.Healthy)
            {
                return port;
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{managementPort}/api/overview");
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                    Encoding.ASCII.GetBytes($"{LocalRabbitMQServerResource.DefaultUser}:{LocalRabbitMQServerResource.DefaultPassword}")));
                using var response = await Http.SendAsync(request, cancellationToken);
                return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"management API: {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        }
    }
}
