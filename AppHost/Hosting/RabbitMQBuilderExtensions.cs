using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

public static class RabbitMQBuilderExtensions
{
    /// <summary>A RabbitMQ broker (local in the state folder unless <c>ConnectionStrings:{name}</c> names one).</summary>
    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RabbitMQServerResource(name, builder.State, port));

    /// <summary>The management UI and HTTP API (guest/guest from localhost), linked from the dashboard.</summary>
    public static IResourceBuilder<RabbitMQServerResource> WithManagementPlugin(this IResourceBuilder<RabbitMQServerResource> builder, int? port = null)
    {
        builder.Resource.AddEndpoint("management", "http", port);
        return builder;
    }
}
