using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

/// <summary>Builds the application model (Aspire's IDistributedApplicationBuilder, reduced to what we use).</summary>
public interface IDistributedApplicationBuilder
{
    /// <summary>appsettings.json of the AppHost, environment variables, command line (in that order of precedence, last wins).</summary>
    ConfigurationManager Configuration { get; }

    /// <summary>The AppHost project folder: AddProject paths are relative to it.</summary>
    string AppHostDirectory { get; }

    /// <summary>The folder of SaasAssistants.sln.</summary>
    string RepositoryRoot { get; }

    /// <summary>The state folder and its secrets (created on first use).</summary>
    AppHostState State { get; }

    IReadOnlyList<IResource> Resources { get; }

    /// <summary>When run as the AppHost (RunAsync, not in tests): after every resource is healthy or finished, to print where things are.</summary>
    IDistributedApplicationBuilder OnReady(Func<DistributedApplication, CancellationToken, Task> callback);

    IResourceBuilder<T> AddResource<T>(T resource)
        where T : Resource;

    DistributedApplication Build();
}
