using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// Tries each provider in order and moves on only when one fails in a way worth retrying (timeouts, 429, 5xx,
/// an open circuit); a failure that another try cannot fix (a bad request, a wrong key) ends the call at once.
/// The response says who answered: <see cref="ChatResponse.ModelId"/> and <c>AdditionalProperties["provider"]</c>.
/// </summary>
public sealed class ChatClientChain : IChatClient
{
    public const string ProviderProperty = "provider";

    private readonly IReadOnlyList<ChainLink> _links;
    private readonly ILogger<ChatClientChain> _logger;

    public ChatClientChain(IReadOnlyList<ChainLink> links, ILogger<ChatClientChain> logger)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            throw new ArgumentException("A chain needs at least one provider.", nameof(links));
        }

        _links = links;
        _logger = logger;
    }

    public IReadOnlyList<string> Providers => _links.Select(link => link.Provider).ToList();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        ProviderException? lastFailure = null;
        // A model asked for by name is the primary's: a fallback of another vendor would not know it, so the fallbacks
        // answer with the model configured for them.
        var fallbackOptions = options?.ModelId is null ? options : WithoutModel(options);
        foreach (var link in _links)
        {
            var linkOptions = link == _links[0] ? options : fallbackOptions;
            try
            {
                var response = await link.CircuitBreaker.ExecuteAsync(
                    static async (state, token) => await state.link.Client.GetResponseAsync(state.conversation, state.linkOptions, token),
                    (link, conversation, linkOptions), cancellationToken);
                response.ModelId ??= link.Client.GetService<ChatClientMetadata>()?.DefaultModelId;
                (response.AdditionalProperties ??= [])[ProviderProperty] = link.Provider;
                return response;
            }
            catch (BrokenCircuitException open)
            {
                lastFailure = ProviderException.CircuitOpen(link.Provider, open.RetryAfter, open);
            }
            catch (ProviderException failure) when (failure.IsRetryable)
            {
                lastFailure = failure;
            }
            catch (ProviderException failure) when (lastFailure is not null)
            {
                // An earlier provider failed transiently, so trying the whole chain again later may still work.
                throw failure.AsRetryable();
            }
            _logger.LogWarning("AI provider {Provider} failed with {ErrorCode}; the chain moves on", link.Provider, lastFailure.ErrorCode);
        }
        throw lastFailure!;
    }

    private static ChatOptions WithoutModel(ChatOptions options)
    {
        var copy = options.Clone();
        copy.ModelId = null;
        return copy;
    }

    /// <summary>
    /// One update holding the whole reply: a provider is judged on a complete answer, so falling back never
    /// happens after part of a reply has gone out.
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
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The providers belong to the registry, which outlives every chain.
    }
}
