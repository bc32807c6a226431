namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>Anything the AppHost runs or points at (Aspire's IResource).</summary>
public interface IResource
{
    string Name { get; }

    /// <summary>What kind of resource it is, as the dashboard shows it ("Postgres", "Project", ...).</summary>
    string Type { get; }
}

/// <summary>A resource others can reference by connection string (<c>ConnectionStrings__{ConnectionStringName}</c>).</summary>
public interface IResourceWithConnectionString : IResource
{
    string ConnectionStringName { get; }

    /// <summary>Known once ports are allocated (after Build), or from the AppHost's configuration.</summary>
    string GetConnectionString();
}

public interface IResourceWithEndpoints : IResource
{
    IReadOnlyList<EndpointAnnotation> Endpoints { get; }
}

/// <summary>A resource others find through <c>services__{name}__{endpoint}__0</c>.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A process that receives environment variables (projects, executables).</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that can wait for others before it starts.</summary>
public interface IResourceWithWaitSupport : IResource;
