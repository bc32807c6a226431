using SaasAssistants.AppHost.Hosting.Processes;
using SaasAssistants.AppHost.Hosting.Servers;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A .NET project of this repository, run from its build output as <c>dotnet bin/{Configuration}/{tfm}/{Name}.dll</c>
/// with the project folder as working directory (content root). The AppHost project references every project it runs,
/// so building the AppHost builds them; nothing is compiled at start. Healthy = <c>GET /health</c> answers 200.
/// </summary>
public sealed class ProjectResource(string name, string projectPath, BuildOutputLayout layout) : ProcessResource(name), IResourceWithServiceDiscovery
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public override string Type => "Project";

    /// <summary>Full path of the .csproj.</summary>
    public string ProjectPath { get; } = projectPath;

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public string AssemblyPath => layout.GetAssemblyPath(ProjectPath);

    public override bool HasHealthCheck => HttpEndpoints.Any();

    private IEnumerable<EndpointAnnotation> HttpEndpoints => Endpoints.Where(e => e.Scheme == "http");

    public override async Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(ProjectPath))
        {
            throw new FileNotFoundException($"Project file {ProjectPath} does not exist.");
        }

        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException($"{AssemblyPath} is missing: build the AppHost first (`dotnet build AppHost`), which builds every project it runs.");
        }

        foreach (var endpoint in Endpoints)
        {
            PortAvailability.EnsureFree(endpoint.ConfigurationKey, endpoint.Port);
        }

        var spec = WithInheritedDiscoveryRemoved(new ProcessSpec(DotnetHost.Path, [AssemblyPath])
        {
            WorkingDirectory = ProjectDirectory,
            Environment = BuildEnvironment(),
            StopGracePeriod = TimeSpan.FromSeconds(10),
        });
        return ResourceRun.For(await ManagedProcess.StartAsync(spec, context.Output).ConfigureAwait(false));
    }

    public override async Task<bool> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync($"{HttpEndpoints.First().Url}/health", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    protected override void AddConventionalVariables(Dictionary<string, string?> environment)
    {
        environment["ASPNETCORE_URLS"] = string.Join(';', HttpEndpoints.Select(e => e.Url));
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["Logging__Directory"] = Path.Combine(layout.RepositoryRoot, "logs");
    }
}
