using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using SdkChatMessage = OpenAI.Chat.ChatMessage;
using SdkFinishReason = OpenAI.Chat.ChatFinishReason;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// <see cref="IChatClient"/> over the official OpenAI SDK's chat completions, for any server that speaks them
/// (OpenAI, Azure OpenAI's v1 endpoint, Ollama, vLLM). Ours because Microsoft.Extensions.AI.OpenAI is not on the
/// package mirror; text in, text out, which is all the task pipeline sends.
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    private readonly string _provider;
    private readonly ProviderOptions _options;
    private readonly OpenAIClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;

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
            sdkOptions.Endpoint = options.Endpoint;
        // Local servers (Ollama, vLLM) take no key, but the SDK refuses an empty one.
        _client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), sdkOptions);
        _metadata = new ChatClientMetadata("openai", options.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _options.Model ?? throw ProviderException.BadRequest(_provider, "no model is configured or requested.");
        var sdkMessages = messages.Select(ToSdk).ToList();
        var sdkOptions = new ChatCompletionOptions
        {
            MaxOutputTokenCount = options?.MaxOutputTokens ?? _options.MaxOutputTokens,
            Temperature = options?.Temperature ?? _options.Temperature,
        };

        var completion = await ProviderCall.RunAsync(
            _provider, _options.Timeout,
            async token => (await _client.GetChatClient(model).CompleteChatAsync(sdkMessages, sdkOptions, token)).Value,
            Classify, cancellationToken);
        return ToResponse(completion);
    }

    /// <summary>
    /// One update holding the whole reply: the task pipeline stores replies whole, and the chain needs a complete
    /// answer to know a provider worked before it commits to it.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return _metadata;
        if (serviceType == typeof(OpenAIClient))
            return _client;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The SDK client holds a shared pipeline and nothing to release.
    }

    private SdkChatMessage ToSdk(AiChatMessage message)
    {
        if (message.Role == ChatRole.System)
            return new SystemChatMessage(message.Text);
        if (message.Role == ChatRole.User)
            return new UserChatMessage(message.Text);
        if (message.Role == ChatRole.Assistant)
            return new AssistantChatMessage(message.Text);
        throw ProviderException.BadRequest(_provider, $"messages with role '{message.Role}' are not supported.");
    }

    private static ChatResponse ToResponse(ChatCompletion completion)
    {
        var text = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = completion.FinishReason switch
            {
                SdkFinishReason.Stop => AiFinishReason.Stop,
                SdkFinishReason.Length => AiFinishReason.Length,
                SdkFinishReason.ContentFilter => AiFinishReason.ContentFilter,
                _ => AiFinishReason.ToolCalls,
            },
            // Some compatible servers leave usage out; then the attempt records no tokens rather than a guess.
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
            RawRepresentation = completion,
        };
    }

    private ProviderException? Classify(Exception exception)
    {
        if (exception is not ClientResultException { } failure)
            return null;
        var response = failure.GetRawResponse();
        var retryAfter = response is null ? null : RetryAfterHeader.Parse(Header(response, "retry-after-ms"), Header(response, "retry-after"), _timeProvider.GetUtcNow());
        return ProviderException.FromStatus(_provider, failure.Status, failure.Message, failure, retryAfter);
    }

    private static string? Header(PipelineResponse response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;
}
