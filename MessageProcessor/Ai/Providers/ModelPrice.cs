namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>One entry of <c>Ai:Prices:{model}</c>, in USD per million tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>
    /// The model's name when it cannot be a configuration key: a colon separates keys, and Ollama names models
    /// like <c>llama3.1:8b</c>. Empty means the key is the name.
    /// </summary>
    public string? Model { get; set; }

    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }
}
