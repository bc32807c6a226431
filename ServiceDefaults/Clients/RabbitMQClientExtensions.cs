using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SaasAssistants.ServiceDefaults;
using SaasAssistants.ServiceDefaults.Clients;
using SaasAssistants.ServiceDefaults.Health;
using SaasAssistants.ServiceDefaults.Messaging;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// Aspire's AddRabbitMQClient: one lazily opened, self-recovering <see cref="RabbitMQConnection"/> from
    /// ConnectionStrings:{name} ("amqp://user:pass@host:port"), plus the "rabbitmq" health check.
    /// </summary>
    public static void AddRabbitMQClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var serviceName = ServiceIdentity.GetName(builder);
        RequiredConnectionString.ValidateOnStart(builder.Services, connectionName);

        builder.Services.AddSingleton(services => new RabbitMQConnection(
            RequiredConnectionString.Get(services.GetRequiredService<IConfiguration>(), connectionName),
            serviceName,
            services.GetRequiredService<ILogger<RabbitMQConnection>>()));

        builder.Services.AddHealthChecks().AddCheck<RabbitMQHealthCheck>("rabbitmq", tags: [HealthTags.Ready]);
    }
}
