using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

public sealed class RegistrationTests : IDisposable
{
    private readonly string _logDirectory = TestApp.NewLogDirectory();

    public void Dispose() => Directory.Delete(_logDirectory, recursive: true);

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
    public async Task Logs_written_through_Serilog_and_our_spans_reach_the_OTLP_endpoint()
    {
        await using var collector = await OtlpCollector.StartAsync(_logDirectory);
        var builder = TestApp.CreateBuilder(
            _logDirectory,
            settings:
            [
                ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint.ToString()),
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ]);
        builder.AddServiceDefaults();
        using var source = new ActivitySource("SaasAssistants.UnitTests");
        await using (var app = builder.Build())
        {
            await app.StartAsync();
            using (source.StartActivity("registration-test-span"))
            {
                app.Services.GetRequiredService<ILogger<RegistrationTests>>().LogWarning("Structured {Thing} for the dashboard", "otlp-log-marker");
            }

            await app.StopAsync();
        } // disposing the host flushes the exporters

        Assert.Contains(collector.Received("/v1/logs"), body => body.Contains("otlp-log-marker"));
        Assert.Contains(collector.Received("/v1/traces"), body => body.Contains("registration-test-span"));
        // Serilog still writes its daily file next to the export.
        var logFile = Assert.Single(Directory.GetFiles(_logDirectory, $"{TestApp.ServiceName}-*.log"));
        Assert.Contains("otlp-log-marker", await File.ReadAllTextAsync(logFile));
    }

    private sealed class IgnoringHandler : IIntegrationEventHandler<MessageAdded>
    {
        public Task HandleAsync(MessageAdded @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class IgnoringInboundHandler : IIntegrationEventHandler<InboundMessageReceived>
    {
        public Task HandleAsync(InboundMessageReceived @event, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A local OTLP/HTTP endpoint that keeps what each signal path received (protobuf bodies, strings readable).</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _received = new();

        private OtlpCollector(WebApplication app) => _app = app;

        public Uri Endpoint => TestApp.BaseAddress(_app);

        public static async Task<OtlpCollector> StartAsync(string logDirectory)
        {
            var app = TestApp.CreateBuilder(logDirectory, useKestrel: true).Build();
            var collector = new OtlpCollector(app);
            app.MapPost("/v1/{signal}", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                collector._received.Enqueue((request.Path, Encoding.UTF8.GetString(body.ToArray())));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public IEnumerable<string> Received(string path) => _received.Where(r => r.Path == path).Select(r => r.Body);

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
