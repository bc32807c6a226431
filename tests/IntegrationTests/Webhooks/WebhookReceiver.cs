using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SaasAssistants.IntegrationTests.Webhooks;

/// <summary>
/// A partner's webhook endpoint: a real Kestrel server on a free port that records every POST (path, the Standard
/// Webhooks headers, the raw body) and answers with the statuses a test scripts per path (200 once the script is spent).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _scripts = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public IReadOnlyList<ReceivedWebhook> ReceivedAt(string path) => [.. _received.Where(r => r.Path == path)];

    public string Url(string path) => new Uri(Address, path).ToString();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Path.Value!;
            receiver._received.Enqueue(new ReceivedWebhook(path, context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(), context.Request.Headers["webhook-signature"].ToString(),
                context.Request.ContentType, body, DateTimeOffset.UtcNow));
            if (receiver._scripts.TryGetValue(path, out var script) && script.TryDequeue(out var answer))
            {
                if (answer.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = answer.RetryAfter;
                }
                return Results.StatusCode(answer.Status);
            }
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>The next POSTs to <paramref name="path"/> get these statuses, in order.</summary>
    public void Answer(string path, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _scripts.GetOrAdd(path, _ => new()).Enqueue((status, null));
        }
    }

    public void AnswerWithRetryAfter(string path, int status, string retryAfter) => _scripts.GetOrAdd(path, _ => new()).Enqueue((status, retryAfter));

    /// <summary>Forgets the statuses still scripted for <paramref name="path"/>: its next POSTs get 200.</summary>
    public void Reset(string path) => _scripts.TryRemove(path, out _);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string? ContentType, string Body, DateTimeOffset At);
