using System.Runtime.CompilerServices;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// <see cref="IChatClient"/> over Anthropic's messages API: the official SDK's own Microsoft.Extensions.AI adapter
/// (<c>AsIChatClient</c>), which maps the system prompt to the top-level <c>system</c> field and tools to <c>tools</c>,
/// <c>tool_use</c> and <c>tool_result</c> blocks. Ours adds what a provider of the chain needs: the configured model and
/// limits, our per-call timeout, and failures classified as <see cref="ProviderException"/>.
/// </summary>
public sealed class AnthropicChatClient : IChatClient
{
    /// <summary>Anthropic requires max_tokens on every request; enough for a chat reply when nothing else is set.</summary>
    public const int DefaultMaxOutputTokens = 1024;

    private readonly string _provider;
    private readonly ProviderOptions _options;
    private readonly AnthropicClient _client;
    private readonly IChatClient _chatClient;
    private readonly ChatClientMetadata _metadata;

    public AnthropicChatClient(string provider, ProviderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _options = options;
        var sdkOptions = new ClientOptions
        {
            ApiKey = options.ApiKey,
            // The task engine owns retries (backoff, attempts, fallback); the SDK's own would multiply them and hide failures.
            MaxRetries = 0,
            Timeout = options.Timeout + ProviderCall.SdkTimeoutMargin,
        };
        if (options.Endpoint is not null)
        {
            sdkOptions.BaseUrl = options.Endpoint.ToString().TrimEnd('/');
        }

        _client = new AnthropicClient(sdkOptions);
        _chatClient = _client.AsIChatClient(options.Model, options.MaxOutputTokens ?? DefaultMaxOutputTokens);
        _metadata = new ChatClientMetadata("anthropic", options.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var requestOptions = options?.Clone() ?? new ChatOptions();
        requestOptions.ModelId ??= _options.Model ?? throw ProviderException.BadRequest(_provider, "no model is configured or requested.");
        requestOptions.MaxOutputTokens ??= _options.MaxOutputTokens ?? DefaultMaxOutputTokens;
        // No temperature: newer Claude models reject any value but 1.0 with a 400.
        requestOptions.Temperature = null;
        // Our own hints for the built-in responder (greeting, knowledge) are no request parameters: never on the wire.
        requestOptions.AdditionalProperties = null;

        return await ProviderCall.RunAsync(_provider, _options.Timeout,
            token => _chatClient.GetResponseAsync(messages, requestOptions, token), Classify, cancellationToken);
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

    public object? GetService(System.Type serviceType, object? serviceKey = null)
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

        if (serviceType == typeof(AnthropicClient))
        {
            return _client;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        _chatClient.Dispose();
        _client.Dispose();
    }

    private ProviderException? Classify(Exception exception) => exception switch
    {
        AnthropicApiException failure => ProviderException.FromStatus(_provider, (int)failure.StatusCode, failure.Message, failure),
        AnthropicIOException failure => ProviderException.Unavailable(_provider, failure),
        AnthropicInvalidDataException failure => ProviderException.InvalidResponse(_provider, failure),
        _ => null,
    };
}
