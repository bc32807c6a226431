using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting.Servers;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>A Redis server: local in <c>{state}/redis</c>, or the one named by <c>ConnectionStrings:{name}</c>.</summary>
public sealed class RedisResource : Resource, IResourceWithConnectionString
{
    private readonly AppHostState state;
    private string? externalConnectionString;

    public RedisResource(string name, AppHostState state, int? port)
        : base(name)
    {
        this.state = state;
        AddEndpoint("tcp", "tcp", port);
    }

    public override string Type => "Redis";

    public string ConnectionStringName => Name;

    public override IEnumerable<string> Urls => [$"tcp://{HostAndPort().Host}:{HostAndPort().Port}"];

    public override void Configure(IConfiguration configuration) =>
        externalConnectionString = configuration.GetConnectionString(Name) is { Length: > 0 } given ? given : null;

    /// <summary>StackExchange.Redis form, <c>host:port[,options]</c>.</summary>
    public string GetConnectionString() => externalConnectionString ?? $"127.0.0.1:{GetEndpoint("tcp").Port}";

    public override async Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken)
    {
        if (externalConnectionString is not null)
        {
            return ResourceRun.Nothing();
        }

        var server = new RedisServer(new RedisServerOptions(state.GetPath("redis"), GetEndpoint("tcp").Port), context.Output);
        await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
        return ResourceRun.For(server);
    }

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var (host, port) = HostAndPort();
        var password = GetConnectionString().Split(',').Skip(1)
            .Select(option => option.Trim())
            .FirstOrDefault(option => option.StartsWith("password=", StringComparison.OrdinalIgnoreCase))?["password=".Length..];
        return RedisHealth.PingAsync(host, port, password, cancellationToken);
    }

    private (string Host, int Port) HostAndPort()
    {
        var endpoint = GetConnectionString().Split(',')[0].Trim();
        var colon = endpoint.LastIndexOf(':');
        return colon < 0 ? (endpoint, 6379) : (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
