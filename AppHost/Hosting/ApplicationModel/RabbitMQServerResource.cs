using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting.Servers;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A RabbitMQ broker: local in <c>{state}/rabbitmq</c>, or the one named by <c>ConnectionStrings:{name}</c>
/// (an <c>amqp://user:pass@host:port</c> URI; then only its AMQP port is checked for health).
/// </summary>
public sealed class RabbitMQServerResource : Resource, IResourceWithConnectionString
{
    private readonly AppHostState state;
    private string? externalConnectionString;

    public RabbitMQServerResource(string name, AppHostState state, int? port)
        : base(name)
    {
        this.state = state;
        AddEndpoint("tcp", "amqp", port);
        // Infrastructure ports of the Erlang node; by default right after the AMQP port (55674, 55675).
        AddEndpoint("dist", "tcp", port + 2, isInternal: true);
        AddEndpoint("epmd", "tcp", port + 3, isInternal: true);
    }

    public override string Type => "RabbitMQ";

    public string ConnectionStringName => Name;

    public bool HasManagementPlugin => Endpoints.Any(e => e.Name == "management");

    public override IEnumerable<string> Urls => externalConnectionString is not null
        ? [new UriBuilder(externalConnectionString) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()]
        : base.Urls;

    public override void Configure(IConfiguration configuration) =>
        externalConnectionString = configuration.GetConnectionString(Name) is { Length: > 0 } given ? given : null;

    public string GetConnectionString() =>
        externalConnectionString ?? $"amqp://{RabbitMQServer.DefaultUser}:{RabbitMQServer.DefaultPassword}@localhost:{GetEndpoint("tcp").Port}";

    public override async Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken)
    {
        if (externalConnectionString is not null)
        {
            return ResourceRun.Nothing();
        }

        var server = new RabbitMQServer(
            new RabbitMQServerOptions(state.GetPath("rabbitmq"), GetEndpoint("tcp").Port, GetEndpoint("dist").Port, GetEndpoint("epmd").Port)
            {
                ManagementPort = HasManagementPlugin ? GetEndpoint("management").Port : null,
            },
            context.Output);
        await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
        return ResourceRun.For(server);
    }

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (externalConnectionString is not null)
        {
            var uri = new Uri(externalConnectionString);
            return RabbitMQHealth.IsHealthyAsync(uri.Host, uri.Port > 0 ? uri.Port : 5672, managementPort: null, cancellationToken);
        }

        return RabbitMQHealth.IsHealthyAsync("127.0.0.1", GetEndpoint("tcp").Port, HasManagementPlugin ? GetEndpoint("management").Port : null, cancellationToken);
    }
}
