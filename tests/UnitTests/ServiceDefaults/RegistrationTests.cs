using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

public sealed class RegistrationTests : IDisposable
{
    private readonly string _logDirectory = TestApp.NewLogDirectory();

    public void Dispose() => Directory.Delete(_logDirectory, recursive: true);

    [Fact]
    public async Task Missing_connection_string_fails_startup_with_a_clear_message()
    {
        var builder = TestApp.CreateBuilder(_logDirectory);
        builder.AddServiceDefaults();
        builder.AddNpgsqlDataSource("saas-missing");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ConnectionStrings__saas-missing", error.Message);
    }

    [Fact]
    public async Task Clients_start_when_their_connection_strings_are_set_even_if_servers_are_down()
    {
        var builder = TestApp.CreateBuilder(
            _logDirectory,
            settings:
            [
                ("ConnectionStrings:saas", "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z"),
                ("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1"),
            ]);
        builder.AddServiceDefaults();
        builder.AddNpgsqlDataSource("saas");
        builder.AddEventBus("messaging");
        builder.AddEventConsumer<MessageAdded, IgnoringHandler>("unit-tests.message-added");
        await using var app = builder.Build();

        await app.StartAsync(); // the consumer keeps retrying in the background instead of failing the host
        await app.StopAsync();
    }

    [Fact]
    public void A_durable_queue_serves_one_event_type_only()
    {
        var builder = TestApp.CreateBuilder(_logDirectory);
        builder.AddEventConsumer<MessageAdded, IgnoringHandler>("unit-tests.shared");

        var error = Assert.Throws<InvalidOperationException>(() =>
            builder.AddEventConsumer<InboundMessageReceived, IgnoringInboundHandler>("unit-tests.shared"));

        Assert.Contains("unit-tests.shared", error.Message);
    }

    [Fact]
    public void Otlp_export_is_registered_only_when_an_endpoint_is_configured()
    {
        var without = TestApp.CreateBuilder(_logDirectory);
        without.AddServiceDefaults();
        var with = TestApp.CreateBuilder(_logDirectory, settings: [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")]);
        with.AddServiceDefaults();

        using var withoutProvider = without.Services.BuildServiceProvider();
        using var withProvider = with.Services.BuildServiceProvider();

        Assert.Null(withoutProvider.GetService<TracerProvider>());
        Assert.NotNull(withProvider.GetService<TracerProvider>());
    }

    private sealed class IgnoringHandler : IIntegrationEventHandler<MessageAdded>
    {
        public Task HandleAsync(MessageAdded @event, CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class IgnoringInboundHandler : IIntegrationEventHandler<InboundMessageReceived>
    {
        public Task HandleAsync(InboundMessageReceived @event, CancellationToken ct) => Task.CompletedTask;
    }
}
