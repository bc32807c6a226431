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
    /// Deliveries are handled one at a time unless <paramref name="concurrency"/> is above 1: then up to that many at
    /// once, those with the same <paramref name="orderingKey"/> one after another in queue order (required then; an
    /// event's own id for no order at all). Each is acknowledged only after its handler finished.
    /// Needs <see cref="EventBusExtensions.AddEventBus"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEventConsumer<TEvent, THandler>(
        this IHostApplicationBuilder builder,
        string queueName,
        EventQueueKind kind = EventQueueKind.Durable,
        ushort prefetch = 16,
        int concurrency = 1,
        Func<TEvent, string>? orderingKey = null)
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        ArgumentOutOfRangeException.ThrowIfZero(prefetch);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (concurrency > 1 && orderingKey is null)
        {
            throw new ArgumentException($"Handling {typeof(TEvent).Name} {concurrency} at a time needs an ordering key.", nameof(orderingKey));
        }
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
            new EventConsumerOptions(queueName, kind, prefetch) { Concurrency = concurrency },
            orderingKey));

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
