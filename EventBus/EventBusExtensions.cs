using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SaasAssistants.EventBus;
using SaasAssistants.EventBus.Outbox;

namespace Microsoft.Extensions.Hosting;

public static class EventBusExtensions
{
    /// <summary>
    /// The event bus on Aspire's RabbitMQ client integration (IConnection from ConnectionStrings:{name}, health check,
    /// traces), reached through <see cref="RabbitMQConnection"/> so the service starts while the broker is down.
    /// </summary>
    public static IHostApplicationBuilder AddEventBus(this IHostApplicationBuilder builder, string connectionName)
    {
        var clientName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;
        builder.AddRabbitMQClient(
            connectionName,
            settings =>
            {
                // Connect in the background (RabbitMQConnection), not during start-up.
                settings.DisableAutoActivation = true;
                // One attempt per resolution: RabbitMQConnection retries with backoff. Aspire's own retries (2 + 4 + 8 +
                // 16 s) would hold every /health probe for 30 s while the broker is down.
                settings.MaxConnectRetryCount = 0;
            },
            factory =>
            {
                factory.ClientProvidedName = clientName;
                factory.AutomaticRecoveryEnabled = true;
                // Topology (queues, bindings, consumers) is re-declared by its owners whenever they open a channel
                // (see EventConsumer). The library's replay of recorded topology keeps entities that no longer exist,
                // e.g. a broker-named queue the broker deleted: seen failing every recovery attempt, forever.
                factory.TopologyRecoveryEnabled = false;
                factory.NetworkRecoveryInterval = TimeSpan.FromSeconds(2);
            });
        builder.Services.AddSingleton<RabbitMQConnection>();
        return builder;
    }

    /// <summary>Publishes the outbox's rows to RabbitMQ (needs <c>AddSaasDatabase</c> and <see cref="AddEventBus"/>).</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxRelayOptions>().BindConfiguration("Outbox");
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
