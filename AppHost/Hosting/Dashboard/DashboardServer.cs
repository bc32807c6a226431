using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SaasAssistants.AppHost.Hosting.Orchestration;

namespace SaasAssistants.AppHost.Hosting.Dashboard;

/// <summary>
/// The dashboard on http://localhost:{port}: one self-contained HTML page, <c>GET /api/resources</c> (JSON),
/// <c>GET /api/resources/{name}/logs</c> (recent lines, JSON) and <c>.../logs/stream</c> (server-sent events).
/// </summary>
internal sealed class DashboardServer(int port, ResourceNotificationService notifications, ResourceLoggerService loggers) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private WebApplication? app;

    public Uri Url { get; } = new($"http://localhost:{port}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "AppHost.Dashboard" });
        builder.WebHost.UseUrls(Url.ToString());
        builder.Logging.ClearProviders();
        // The AppHost handles Ctrl+C itself (children first); the dashboard must not react to it on its own.
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        app = builder.Build();
        Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Map(WebApplication web)
    {
        web.MapGet("/", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        web.MapGet("/api/resources", () => Results.Json(notifications.GetSnapshots().Select(ResourceDto.From), Json));
        web.MapGet("/api/resources/{name}/logs", (string name, int? count) => Exists(name)
            ? Results.Json(loggers.GetLog(name).GetLines(count ?? ResourceLoggerService.LinesPerResource).Select(l => new LogLineDto(l.Timestamp, l.Text, l.IsError)), Json)
            : Results.NotFound());
        web.MapGet("/api/resources/{name}/logs/stream", async (string name, HttpContext context) =>
        {
            if (!Exists(name))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await foreach (var line in loggers.GetLog(name).WatchAsync(context.RequestAborted))
            {
                var data = JsonSerializer.Serialize(new LogLineDto(line.Timestamp, line.Text, line.IsError), Json);
                await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
    }

    private bool Exists(string name) => notifications.GetSnapshots().Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
