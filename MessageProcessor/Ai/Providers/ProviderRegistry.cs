using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// The configured providers (<c>Ai:Providers</c>), each built once with its circuit breaker, and the chains made of
/// them. A breaker belongs to the provider, not to a chain, so every tenant's chain skips a dead provider at once.
/// The built-in local responder is always there as <see cref="LocalProviderName"/>.
/// </summary>
public sealed class ProviderRegistry : IDisposable
{
    public const string LocalProviderName = "local";

    private readonly Dictionary<string, ChainLink> _links = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<string> _defaultChain;
    private readonly ILoggerFactory _loggerFactory;

    public ProviderRegistry(AiOptions options, LocalResponderChatClient localResponder, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _loggerFactory = loggerFactory;
        var logger = loggerFactory.CreateLogger<ProviderRegistry>();
        var providers = new Dictionary<string, ProviderOptions>(options.Providers, StringComparer.OrdinalIgnoreCase);
        providers.TryAdd(LocalProviderName, new ProviderOptions { Kind = ProviderKind.Local });
        foreach (var (name, provider) in providers)
        {
            IChatClient client = provider.Kind switch
            {
                ProviderKind.OpenAI => new OpenAIChatClient(name, provider, timeProvider),
                ProviderKind.Anthropic => new AnthropicChatClient(name, provider),
                ProviderKind.Local => localResponder,
                _ => throw new InvalidOperationException($"Ai:Providers:{name}:Kind must be one of {string.Join(", ", Enum.GetNames<ProviderKind>())}."),
            };
            if (!provider.Images && provider.Kind != ProviderKind.Local)
            {
                client = new TextOnlyChatClient(client);
            }

            _links[name] = new ChainLink(name, client, ProviderCircuitBreaker.Create(name, options.CircuitBreaker, timeProvider, logger));
        }
        _defaultChain = options.EffectiveChain;
    }

    public IReadOnlyCollection<string> ProviderNames => _links.Keys;

    public IReadOnlyList<string> DefaultChain => _defaultChain;

    public bool IsConfigured(string provider) => _links.ContainsKey(provider);

    /// <summary>One provider on its own, without the breaker: for a caller that wants exactly this provider.</summary>
    public IChatClient GetClient(string provider)
        => _links.TryGetValue(provider, out var link) ? link.Client : throw ProviderException.NotConfigured(provider);

    /// <summary>A chain over the named providers in order, or over <c>Ai:Chain</c> when none are named.</summary>
    public ChatClientChain CreateChain(IEnumerable<string>? providers = null)
    {
        var links = (providers ?? _defaultChain)
            .Select(name => _links.TryGetValue(name, out var link) ? link : throw ProviderException.NotConfigured(name))
            .ToList();
        return new ChatClientChain(links, _loggerFactory.CreateLogger<ChatClientChain>());
    }

    public void Dispose()
    {
        foreach (var link in _links.Values.Where(link => link.Client is not LocalResponderChatClient))
        {
            link.Client.Dispose();
        }
    }
}
