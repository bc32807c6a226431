using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.ServiceDefaults;
using SaasAssistants.ServiceDefaults.Clients;
using SaasAssistants.ServiceDefaults.Health;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// Aspire's AddRedisClient on StackExchange.Redis 1.2.6 (the newest that restores here): one shared
    /// <see cref="IConnectionMultiplexer"/> from ConnectionStrings:{name} ("host:port[,options]"), plus the "redis"
    /// health check. abortConnect=false: the service starts while Redis is down and the multiplexer keeps reconnecting.
    /// </summary>
    public static void AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var serviceName = ServiceIdentity.GetName(builder);
        RequiredConnectionString.ValidateOnStart(builder.Services, connectionName);

        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var options = ConfigurationOptions.Parse(
                RequiredConnectionString.Get(services.GetRequiredService<IConfiguration>(), connectionName));
            options.AbortOnConnectFail = false;
            options.ClientName ??= serviceName;
            return ConnectionMultiplexer.Connect(options);
        });

        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
    }
}
