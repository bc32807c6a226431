namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A port a resource listens on. The port is settled when the application is built: <c>Ports:{ConfigurationKey}</c>
/// from configuration, else a free port when the AppHost runs with random ports (tests), else <see cref="DefaultPort"/>.
/// </summary>
public sealed class EndpointAnnotation(string resourceName, string name, string scheme, int? defaultPort)
{
    public string Name { get; } = name;

    /// <summary>http, tcp, amqp: what the URL shown on the dashboard starts with.</summary>
    public string Scheme { get; } = scheme;

    public int? DefaultPort { get; } = defaultPort;

    /// <summary><c>gateway</c> for a resource's main endpoint, <c>messaging-management</c> for the others.</summary>
    public string ConfigurationKey { get; } = name is "http" or "tcp" ? resourceName : $"{resourceName}-{name}";

    /// <summary>Only infrastructure (epmd, Erlang distribution): not listed on the dashboard.</summary>
    public bool IsInternal { get; init; }

    public int Port => AllocatedPort ?? throw new InvalidOperationException($"The port of endpoint '{ConfigurationKey}' is known only after Build().");

    public string Url => $"{Scheme}://localhost:{Port}";

    internal int? AllocatedPort { get; set; }
}
