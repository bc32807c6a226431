namespace SaasAssistants.MessageProcessor.Context;

/// <summary>
/// <c>Ai:Context</c>: how many tokens of conversation go with a reply. The budget is the assistant's own
/// (<c>provider_settings.contextTokens</c>), else the model's entry here, else the default; it is a cost decision
/// as much as a window limit, which is why it is far below the models' windows.
/// </summary>
public sealed class ContextBudget
{
    public const string SectionName = "Ai:Context";

    public int DefaultTokens { get; set; } = 4000;

    public Dictionary<string, int> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Turns older than what fits are condensed into the summary by a task; it runs once this many are waiting.</summary>
    public int SummarizeAfterDroppedMessages { get; set; } = 10;

    public int For(string? model, int? assistantTokens) => assistantTokens
        ?? (model is not null && Models.TryGetValue(model, out var tokens) ? tokens : DefaultTokens);
}
