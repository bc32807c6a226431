using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;

namespace Microsoft.Extensions.Hosting;

public static class EventConsumerExtensions
{
    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> (routing key = its type name) from <paramref name="queueName"/> with
    /// <typeparamref name="THandler"/> (scoped, one scope per message). One queue per event type: a durable queue
    /// name cannot be shared by two registrations, because its consumers would receive each other's messages.
    /// Needs <see cref="EventBusExtensions.AddEventBus"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEventConsumer<TEvent, THandler>(
        this IHostApplicationBuilder builder,
        string queueName,
        EventQueueKind kind = EventQueueKind.Durable,
        ushort prefetch = 16)
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        ArgumentOutOfRangeException.ThrowIfZero(prefetch);
        if (kind == EventQueueKind.Durable)
        {
            DurableQueueNames.Claim(builder.Services, queueName, typeof(TEvent));
        }

        builder.Services.TryAddScoped<THandler>();
        // AddSingleton, not AddHostedService: the latter de-duplicates by type, which would drop a second queue.
        builder.Services.AddSingleton<IHostedService>(services => new EventConsumer<TEvent, THandler>(
            services.GetService<RabbitMQConnection>()
                ?? throw new InvalidOperationException(
                    $"AddEventConsumer<{typeof(TEvent).Name}> needs a RabbitMQ connection: call builder.AddEventBus(\"messaging\") first."),
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<ILogger<EventConsumer<TEvent, THandler>>>(),
            new EventConsumerOptions(queueName, kind, prefetch)));

        return builder;
    }

    /// <summary>Remembers which durable queue serves which event type, to refuse a second consumer on one queue.</summary>
    private sealed class DurableQueueNames
    {
        private readonly Dictionary<string, Type> _owners = new(StringComparer.Ordinal);

        public static void Claim(IServiceCollection services, string queueName, Type eventType)
        {
            var names = services.FirstOrDefault(d => d.ServiceType == typeof(DurableQueueNames))?.ImplementationInstance as DurableQueueNames;
            if (names is null)
            {
                names = new DurableQueueNames();
                services.AddSingleton(names);
            }

            if (names._owners.TryGetValue(queueName, out var owner))
            {
                throw new InvalidOperationException(
                    $"Queue '{queueName}' already consumes {owner.Name}; give {eventType.Name} its own queue (e.g. '{queueName}.{eventType.Name}').");
            }

            names._owners.Add(queueName, eventType);
        }
    }
}
