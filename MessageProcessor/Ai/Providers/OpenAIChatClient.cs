using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// <see cref="IChatClient"/> for any server that speaks OpenAI's chat completions (OpenAI, Azure OpenAI's v1 endpoint,
/// Ollama, vLLM): Microsoft.Extensions.AI.OpenAI's own adapter over the official SDK, which maps messages, tools
/// (<c>tools</c>, <c>tool_calls</c>, <c>role: tool</c>), usage and finish reasons. Ours adds what a provider of the chain
/// needs: the configured model and limits, our per-call timeout, and failures classified as <see cref="ProviderException"/>.
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    private readonly string _provider;
    private readonly ProviderOptions _options;
    private readonly OpenAIClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;
    // The SDK's chat client is bound to one model; a request may name another.
    private readonly ConcurrentDictionary<string, IChatClient> _byModel = new(StringComparer.Ordinal);

    public OpenAIChatClient(string provider, ProviderOptions options, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _options = options;
        _timeProvider = timeProvider;
        var sdkOptions = new OpenAIClientOptions
        {
            // The task engine owns retries (backoff, attempts, fallback); the SDK's own would multiply them and hide failures.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.Timeout + ProviderCall.SdkTimeoutMargin,
        };
        if (options.Endpoint is not null)
        {
            sdkOptions.Endpoint = options.Endpoint;
        }

        // Local servers (Ollama, vLLM) take no key, but the SDK refuses an empty one.
        _client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), sdkOptions);
        _metadata = new ChatClientMetadata("openai", options.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _options.Model ?? throw ProviderException.BadRequest(_provider, "no model is configured or requested.");
        var requestOptions = options?.Clone() ?? new ChatOptions();
        requestOptions.ModelId = model;
        requestOptions.MaxOutputTokens ??= _options.MaxOutputTokens;
        requestOptions.Temperature ??= _options.Temperature;
        // Our own hints for the built-in responder (greeting, knowledge) are no request parameters: never on the wire.
        requestOptions.AdditionalProperties = null;
        var client = _byModel.GetOrAdd(model, name => _client.GetChatClient(name).AsIChatClient());

        return await ProviderCall.RunAsync(
            _provider, _options.Timeout,
            token => client.GetResponseAsync(messages, requestOptions, token),
            Classify, cancellationToken);
    }

    /// <summary>
    /// One update holding the whole reply: the task pipeline stores replies whole, and the chain needs a complete
    /// answer to know a provider worked before it commits to it.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(OpenAIClient))
        {
            return _client;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The SDK client holds a shared pipeline and nothing to release.
    }

    private ProviderException? Classify(Exception exception)
    {
        if (exception is not ClientResultException { } failure)
        {
            return null;
        }

        var response = failure.GetRawResponse();
        var retryAfter = response is null ? null : RetryAfterHeader.Parse(Header(response, "retry-after-ms"), Header(response, "retry-after"), _timeProvider.GetUtcNow());
        return ProviderException.FromStatus(_provider, failure.Status, failure.Message, failure, retryAfter);
    }

    private static string? Header(PipelineResponse response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;
}
