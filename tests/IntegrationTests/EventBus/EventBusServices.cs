using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasAssistants.EventBus;

namespace SaasAssistants.IntegrationTests.EventBus;

/// <summary>A <see cref="RabbitMQConnection"/> wired exactly as a service's AddEventBus wires it, in a container of its own.</summary>
public sealed class EventBusServices : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public EventBusServices(Uri rabbitMQ)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "event-bus-tests" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:messaging"] = rabbitMQ.ToString() });
        builder.AddEventBus("messaging");
        _services = builder.Services.BuildServiceProvider();
    }

    public RabbitMQConnection Connection => _services.GetRequiredService<RabbitMQConnection>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
