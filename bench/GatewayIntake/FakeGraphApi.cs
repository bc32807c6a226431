using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>
/// Where the pipeline scenario's replies go: <c>POST /{version}/{phone_number_id}/messages</c> answered as the Cloud
/// API answers a send (a new wamid), so message.send completes without Meta. It only counts what it receives.
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _sends;

    private FakeGraphApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public long Sends => Interlocked.Read(ref _sends);

    public static async Task<FakeGraphApi> StartAsync()
    {
        var baseAddress = new Uri($"http://127.0.0.1:{PortAvailability.GetFreePort()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseAddress.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var graph = new FakeGraphApi(app, baseAddress);
        app.MapPost("/{version}/{sender}/messages", (HttpRequest request) =>
        {
            Interlocked.Increment(ref graph._sends);
            var wamid = "wamid.BENCH" + Guid.NewGuid().ToString("N").ToUpperInvariant();
            return Results.Text($$"""{"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"{{wamid}}"}]}""", "application/json");
        });
        await app.StartAsync();
        return graph;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
