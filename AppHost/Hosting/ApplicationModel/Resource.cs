namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// Base of every resource: its name, endpoints and what it waits for, and how it starts and reports health.
/// (Aspire keeps the "how" in separate lifecycle hooks; one class per resource is enough here.)
/// </summary>
public abstract class Resource(string name) : IResource, IResourceWithEndpoints
{
    private readonly List<EndpointAnnotation> endpoints = [];

    public string Name { get; } = name;

    public abstract string Type { get; }

    public IReadOnlyList<EndpointAnnotation> Endpoints => endpoints;

    public List<WaitAnnotation> Waits { get; } = [];

    /// <summary>Resources whose connection string or URL this one receives (they must outlive it on shutdown).</summary>
    public List<IResource> References { get; } = [];

    /// <summary>Someone waits for this resource to complete: exiting with the expected code is then success, not failure.</summary>
    public bool RunsToCompletion { get; internal set; }

    /// <summary>False: health is not checked (shown as null; counts as healthy once running).</summary>
    public virtual bool HasHealthCheck => true;

    /// <summary>The addresses the dashboard links to.</summary>
    public virtual IEnumerable<string> Urls => Endpoints.Where(e => !e.IsInternal).Select(e => e.Url);

    public EndpointAnnotation AddEndpoint(string name, string scheme, int? defaultPort, bool isInternal = false)
    {
        if (endpoints.Any(e => e.Name == name))
        {
            throw new InvalidOperationException($"Resource '{Name}' already has an endpoint named '{name}'.");
        }

        var endpoint = new EndpointAnnotation(Name, name, scheme, defaultPort) { IsInternal = isInternal };
        endpoints.Add(endpoint);
        return endpoint;
    }

    public EndpointAnnotation GetEndpoint(string name) =>
        endpoints.FirstOrDefault(e => e.Name == name) ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint '{name}'.");

    /// <summary>Starts the resource and returns as soon as it runs (health is checked afterwards, by the orchestrator).</summary>
    public abstract Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken);

    public virtual Task<bool> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Called once ports are allocated: reads settings such as a connection string that replaces a local server.</summary>
    public virtual void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
    }
}
