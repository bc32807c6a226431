using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A resource that is a process of ours (project, executable). It receives Aspire's environment conventions:
/// <c>ConnectionStrings__{name}</c> and <c>services__{name}__{endpoint}__0</c> for what it references (and nothing
/// inherited from the AppHost under those prefixes), <c>OTEL_SERVICE_NAME</c>, and its own variables.
/// </summary>
public abstract class ProcessResource(string name) : Resource(name), IResourceWithEnvironment, IResourceWithWaitSupport
{
    public List<(string Name, Func<string?> Value)> EnvironmentVariables { get; } = [];

    /// <summary>Endpoint name → variable that receives its port (<c>WithHttpEndpoint(env: "PORT")</c>).</summary>
    public Dictionary<string, string> PortVariables { get; } = [];

    public Dictionary<string, string?> BuildEnvironment()
    {
        var environment = new Dictionary<string, string?>();
        foreach (var reference in References)
        {
            if (reference is IResourceWithConnectionString withConnectionString)
            {
                environment[$"ConnectionStrings__{withConnectionString.ConnectionStringName}"] = withConnectionString.GetConnectionString();
            }

            if (reference is IResourceWithServiceDiscovery discoverable)
            {
                foreach (var endpoint in discoverable.Endpoints.Where(e => !e.IsInternal))
                {
                    environment[$"services__{discoverable.Name}__{endpoint.Name}__0"] = endpoint.Url;
                }
            }
        }

        environment["OTEL_SERVICE_NAME"] = Name;
        if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }

        foreach (var (endpointName, variable) in PortVariables)
        {
            environment[variable] = GetEndpoint(endpointName).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        AddConventionalVariables(environment);
        foreach (var (variable, value) in EnvironmentVariables)
        {
            environment[variable] = value();
        }

        return environment;
    }

    protected virtual void AddConventionalVariables(Dictionary<string, string?> environment)
    {
    }

    protected static ProcessSpec WithInheritedDiscoveryRemoved(ProcessSpec spec) =>
        spec with { RemoveInheritedPrefixes = ["ConnectionStrings__", "services__"] };
}
