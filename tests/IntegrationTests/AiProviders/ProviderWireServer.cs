using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>
/// A real HTTP server on a free local port that speaks OpenAI's chat completions (<c>POST /v1/chat/completions</c>)
/// and Anthropic's messages (<c>POST /v1/messages</c>) as their public documentation describes them, so the
/// official SDKs run unmodified against it. It records every request and answers as <see cref="Behavior"/> says.
/// </summary>
public sealed class ProviderWireServer : IAsyncDisposable
{
    public const string OpenAIPath = "/v1/chat/completions";
    public const string AnthropicPath = "/v1/messages";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ProviderWireServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What an OpenAI client takes as its endpoint: the SDK appends <c>/chat/completions</c>.</summary>
    public Uri OpenAIEndpoint => new(BaseAddress, "v1");

    public WireBehavior Behavior { get; set; } = WireBehavior.Answer;

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(10);

    public int RetryAfterSeconds { get; set; } = 7;

    public string ReplyText { get; set; } = "Hello from the wire.";

    /// <summary>The model the answer names; empty echoes the model asked for, as the real APIs do for aliases.</summary>
    public string? AnsweringModel { get; set; }

    public int InputTokens { get; set; } = 12;

    public int OutputTokens { get; set; } = 5;

    /// <summary>
    /// Tool calls to answer with, one per request while any are left (then text again): OpenAI's <c>tool_calls</c>
    /// with <c>finish_reason: tool_calls</c>, Anthropic's <c>tool_use</c> block with <c>stop_reason: tool_use</c>.
    /// </summary>
    public ConcurrentQueue<WireToolCall> ToolCalls { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public int RequestCount => _requests.Count;

    public static async Task<ProviderWireServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ProviderWireServer(app);
        app.MapPost(OpenAIPath, context => server.HandleAsync(context, OpenAIAnswer, OpenAIToolAnswer, OpenAIError));
        app.MapPost(AnthropicPath, context => server.HandleAsync(context, AnthropicAnswer, AnthropicToolAnswer, AnthropicError));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, Func<ProviderWireServer, JsonElement, JsonObject> answer,
        Func<ProviderWireServer, JsonElement, WireToolCall, JsonObject> toolAnswer, Func<int, string, JsonObject> error)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _requests.Enqueue(new RecordedRequest(context.Request.Path, headers, body));

        switch (Behavior)
        {
            case WireBehavior.RateLimited:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteJsonAsync(context, 429, error(429, "Rate limit reached."));
                return;
            case WireBehavior.ServerError:
                await WriteJsonAsync(context, 500, error(500, "The server had an error while processing your request."));
                return;
            case WireBehavior.BadRequest:
                await WriteJsonAsync(context, 400, error(400, "Invalid request."));
                return;
            case WireBehavior.Unauthorized:
                await WriteJsonAsync(context, 401, error(401, "Invalid API key."));
                return;
            case WireBehavior.MalformedJson:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"broken\", \"choices\": [", context.RequestAborted);
                return;
            case WireBehavior.Slow:
                try
                {
                    await Task.Delay(Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // The client gave up first, which is what the test wants to see.
                }
                break;
        }
        await WriteJsonAsync(context, 200, ToolCalls.TryDequeue(out var call) ? toolAnswer(this, body, call) : answer(this, body));
    }

    private string ModelFor(JsonElement request) => string.IsNullOrEmpty(AnsweringModel) ? request.GetProperty("model").GetString()! : AnsweringModel;

    private static JsonObject OpenAIAnswer(ProviderWireServer server, JsonElement request) => new()
    {
        ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = server.ModelFor(request),
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = server.ReplyText, ["refusal"] = null },
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = server.InputTokens,
            ["completion_tokens"] = server.OutputTokens,
            ["total_tokens"] = server.InputTokens + server.OutputTokens,
        },
    };

    private static JsonObject AnthropicAnswer(ProviderWireServer server, JsonElement request) => new()
    {
        ["id"] = "msg_" + Guid.NewGuid().ToString("N"),
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = server.ModelFor(request),
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = server.ReplyText }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = server.InputTokens, ["output_tokens"] = server.OutputTokens },
    };

    private static JsonObject OpenAIToolAnswer(ProviderWireServer server, JsonElement request, WireToolCall call)
    {
        var answer = OpenAIAnswer(server, request);
        var choice = answer["choices"]![0]!.AsObject();
        choice["message"] = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = null,
            ["refusal"] = null,
            // The arguments travel as a JSON string, as OpenAI sends them.
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = call.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
            }),
        };
        choice["finish_reason"] = "tool_calls";
        return answer;
    }

    private static JsonObject AnthropicToolAnswer(ProviderWireServer server, JsonElement request, WireToolCall call)
    {
        var answer = AnthropicAnswer(server, request);
        answer["content"] = new JsonArray(new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = call.Id,
            ["name"] = call.Name,
            ["input"] = JsonNode.Parse(call.ArgumentsJson),
        });
        answer["stop_reason"] = "tool_use";
        return answer;
    }

    private static JsonObject OpenAIError(int status, string message) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = status >= 500 ? "server_error" : "invalid_request_error", ["param"] = null, ["code"] = null },
    };

    private static JsonObject AnthropicError(int status, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = status switch { 429 => "rate_limit_error", 401 => "authentication_error", >= 500 => "api_error", _ => "invalid_request_error" },
            ["message"] = message,
        },
    };

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
