using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

/// <summary>Fluent handle on a resource in the model (Aspire's IResourceBuilder&lt;T&gt;).</summary>
public interface IResourceBuilder<out T>
    where T : IResource
{
    IDistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}

internal sealed class ResourceBuilder<T>(IDistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
    where T : IResource
{
    public IDistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;
}
