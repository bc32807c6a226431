namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>One entry of <c>Ai:Providers:{name}</c>.</summary>
public sealed class ProviderOptions
{
    public ProviderKind? Kind { get; set; }

    /// <summary>
    /// Base address; empty means the vendor's public API. OpenAI-compatible servers take the address that ends in
    /// <c>/v1</c> (the SDK appends <c>/chat/completions</c>); Anthropic takes the host only (the SDK appends <c>/v1/messages</c>).
    /// </summary>
    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Model used when a call does not name one.</summary>
    public string? Model { get; set; }

    public int? MaxOutputTokens { get; set; }

    /// <summary>OpenAI-compatible providers only: newer Claude models reject any temperature but the default.</summary>
    public float? Temperature { get; set; }

    /// <summary>
    /// Whether the model takes images (on by default: OpenAI's and Anthropic's current models do). Off for an
    /// OpenAI-compatible server whose model reads text only (many Ollama or vLLM models answer an image part with a
    /// 400, which would fail every reply to a photo): the customer's images then reach it as their text marker.
    /// </summary>
    public bool Images { get; set; } = true;

    /// <summary>Per call; a slow provider must fail fast enough for the chain to try the next one.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}
