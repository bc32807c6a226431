using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

/// <summary>Wiring between resources, with Aspire's names.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects <c>ConnectionStrings__{name}</c> (a database, Redis, RabbitMQ).</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : ProcessResource
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Injects <c>services__{name}__http__0</c>: service discovery of another project.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : ProcessResource
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts only once the dependency is running and healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : Resource, IResourceWithWaitSupport
    {
        builder.Resource.Waits.Add(new WaitAnnotation(AsResource(dependency), WaitType.WaitUntilHealthy));
        return builder;
    }

    /// <summary>Starts only once the dependency ran to completion with the given exit code.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency, int exitCode = 0)
        where T : Resource, IResourceWithWaitSupport
    {
        var resource = AsResource(dependency);
        resource.RunsToCompletion = true;
        builder.Resource.Waits.Add(new WaitAnnotation(resource, WaitType.WaitForCompletion, exitCode));
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value)
        where T : ProcessResource
    {
        builder.Resource.EnvironmentVariables.Add((name, () => value));
        return builder;
    }

    /// <summary>A value computed when the process starts (e.g. from what the migrator produced).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, Func<string?> value)
        where T : ProcessResource
    {
        builder.Resource.EnvironmentVariables.Add((name, value));
        return builder;
    }

    /// <param name="port">The port (<c>Ports:{resource}</c> in configuration wins; null: a free one).</param>
    /// <param name="name">Endpoint name, as in <c>services__{resource}__{name}__0</c>.</param>
    /// <param name="env">A variable that receives the port (for executables that take their port that way).</param>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, string name = "http", string? env = null)
        where T : ProcessResource
    {
        builder.Resource.AddEndpoint(name, "http", port);
        if (env is not null)
        {
            builder.Resource.PortVariables[name] = env;
        }

        return builder;
    }

    private static Resource AsResource(IResourceBuilder<IResource> builder) =>
        builder.Resource as Resource ?? throw new InvalidOperationException($"'{builder.Resource.Name}' is not a resource of this model.");
}
