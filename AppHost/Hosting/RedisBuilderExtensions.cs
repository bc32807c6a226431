using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>A Redis server (local in the state folder unless <c>ConnectionStrings:{name}</c> names one).</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RedisResource(name, builder.State, port));
}
