using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting.ApplicationModel;
using SaasAssistants.AppHost.Hosting.Servers;

namespace SaasAssistants.AppHost.Hosting;

public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--state-dir"] = AppHostSettings.StateDirectoryKey,
        ["--dashboard-port"] = AppHostSettings.DashboardPortKey,
    };

    private readonly List<IResource> resources = [];
    private readonly List<Func<DistributedApplication, CancellationToken, Task>> readyCallbacks = [];
    private readonly Lazy<AppHostState> state;

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        AppHostDirectory = BuildOutputLayout.Current.AppHostDirectory;
        RepositoryRoot = BuildOutputLayout.Current.RepositoryRoot;
        Configuration = new ConfigurationManager();
        if (options.ReadAppSettings)
        {
            Configuration.SetBasePath(AppHostDirectory)
                .AddJsonFile("appsettings.json", optional: true)
                .AddJsonFile("appsettings.Development.json", optional: true);
        }

        Configuration.AddEnvironmentVariables();

        // --reset is a flag without a value, which the command-line configuration provider cannot express.
        var reset = options.Args.Contains("--reset");
        Configuration.AddCommandLine(options.Args.Where(a => a != "--reset").ToArray(), SwitchMappings);
        if (reset)
        {
            Configuration[AppHostSettings.ResetKey] = "true";
        }

        state = new Lazy<AppHostState>(() =>
        {
            var created = new AppHostState(Configuration[AppHostSettings.StateDirectoryKey] ?? Path.Combine(RepositoryRoot, ".apphost"), Configuration);
            if (Configuration.GetValue(AppHostSettings.ResetKey, false))
            {
                created.Delete();
            }

            return created;
        });
    }

    public ConfigurationManager Configuration { get; }

    public string AppHostDirectory { get; }

    public string RepositoryRoot { get; }

    /// <summary>Settle the state folder settings (--state-dir, --reset) before the first resource is added.</summary>
    public AppHostState State => state.Value;

    public IReadOnlyList<IResource> Resources => resources;

    public IDistributedApplicationBuilder OnReady(Func<DistributedApplication, CancellationToken, Task> callback)
    {
        readyCallbacks.Add(callback);
        return this;
    }

    public IResourceBuilder<T> AddResource<T>(T resource)
        where T : Resource
    {
        if (resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }

        resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build()
    {
        var settings = AppHostSettings.From(Configuration);
        var taken = new HashSet<int>();
        foreach (var endpoint in resources.OfType<Resource>().SelectMany(r => r.Endpoints))
        {
            endpoint.AllocatedPort = AllocatePort(Configuration.GetValue<int?>($"Ports:{endpoint.ConfigurationKey}"), endpoint.DefaultPort, settings.RandomPorts, taken);
        }

        foreach (var resource in resources.OfType<Resource>())
        {
            resource.Configure(Configuration);
        }

        var dashboardPort = settings.DashboardEnabled
            ? AllocatePort(settings.DashboardPort, AppHostSettings.DefaultDashboardPort, settings.RandomPorts, taken)
            : (int?)null;
        return new DistributedApplication(resources.OfType<Resource>().ToList(), Configuration, settings, State, dashboardPort, readyCallbacks);
    }

    private static int AllocatePort(int? configured, int? defaultPort, bool randomPorts, HashSet<int> taken)
    {
        var port = configured ?? (randomPorts ? null : defaultPort);
        while (port is null || !taken.Add(port.Value))
        {
            if (port is not null && configured is not null)
            {
                throw new InvalidOperationException($"Port {port} is configured for two endpoints.");
            }

            port = PortAvailability.GetFreePort();
        }

        return port.Value;
    }
}
