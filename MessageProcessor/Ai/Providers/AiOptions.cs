namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>The <c>Ai</c> configuration section.</summary>
public sealed class AiOptions
{
    public const string SectionName = "Ai";

    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Provider names in the order they are tried. Left empty here, not defaulted to "local", because the
    /// configuration binder appends to a list that already has items instead of replacing them.
    /// </summary>
    public List<string> Chain { get; set; } = [];

    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

    public IReadOnlyList<string> EffectiveChain => Chain.Count > 0 ? Chain : [ProviderRegistry.LocalProviderName];
}
