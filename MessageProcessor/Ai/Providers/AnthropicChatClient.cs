using System.Runtime.CompilerServices;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// <see cref="IChatClient"/> over the official Anthropic SDK's messages API. The SDK ships an <c>AsIChatClient</c>
/// of its own; this one exists so the request on the wire, the usage read back and the failure classification
/// are ours to see and test, like <see cref="OpenAIChatClient"/>'s.
/// </summary>
public sealed class AnthropicChatClient : IChatClient
{
    /// <summary>Anthropic requires max_tokens on every request; enough for a chat reply when nothing else is set.</summary>
    public const int DefaultMaxOutputTokens = 1024;

    private readonly string _provider;
    private readonly ProviderOptions _options;
    private readonly AnthropicClient _client;
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
            sdkOptions.BaseUrl = options.Endpoint.ToString().TrimEnd('/');
        _client = new AnthropicClient(sdkOptions);
        _metadata = new ChatClientMetadata("anthropic", options.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages as IReadOnlyList<AiChatMessage> ?? messages.ToList();
        var request = new MessageCreateParams
        {
            Model = options?.ModelId ?? _options.Model ?? throw ProviderException.BadRequest(_provider, "no model is configured or requested."),
            MaxTokens = options?.MaxOutputTokens ?? _options.MaxOutputTokens ?? DefaultMaxOutputTokens,
            Messages = conversation.Where(m => m.Role != ChatRole.System).Select(ToSdk).ToList(),
            // No temperature: the SDK marks it obsolete, since newer Claude models reject any value but 1.0 with a 400.
        };
        // Anthropic has no system role inside messages: instructions travel in the top-level system field.
        var system = string.Join("\n\n", conversation.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        if (system.Length > 0)
            request = request with { System = system };

        var message = await ProviderCall.RunAsync(_provider, _options.Timeout, token => _client.Messages.Create(request, token), Classify, cancellationToken);
        return ToResponse(message);
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

    public object? GetService(System.Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return _metadata;
        if (serviceType == typeof(AnthropicClient))
            return _client;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => _client.Dispose();

    private MessageParam ToSdk(AiChatMessage message)
    {
        if (message.Role == ChatRole.User)
            return new MessageParam { Role = Role.User, Content = message.Text };
        if (message.Role == ChatRole.Assistant)
            return new MessageParam { Role = Role.Assistant, Content = message.Text };
        throw ProviderException.BadRequest(_provider, $"messages with role '{message.Role}' are not supported.");
    }

    private static ChatResponse ToResponse(Message message)
    {
        var text = string.Concat(message.Content.Select(block => block.TryPickText(out var textBlock) ? textBlock.Text : null));
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = message.ID,
            ModelId = message.Model.Raw(),
            FinishReason = message.StopReason?.Raw() switch
            {
                null => null,
                "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
                "max_tokens" => ChatFinishReason.Length,
                "tool_use" => ChatFinishReason.ToolCalls,
                "refusal" => ChatFinishReason.ContentFilter,
                var other => new ChatFinishReason(other),
            },
            Usage = new UsageDetails
            {
                InputTokenCount = message.Usage.InputTokens,
                OutputTokenCount = message.Usage.OutputTokens,
                TotalTokenCount = message.Usage.InputTokens + message.Usage.OutputTokens,
            },
            RawRepresentation = message,
        };
    }

    private ProviderException? Classify(Exception exception) => exception switch
    {
        AnthropicApiException failure => ProviderException.FromStatus(_provider, (int)failure.StatusCode, failure.Message, failure),
        AnthropicIOException failure => ProviderException.Unavailable(_provider, failure),
        AnthropicInvalidDataException failure => ProviderException.InvalidResponse(_provider, failure),
        _ => null,
    };
}
