namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>What a call cost in USD; <see cref="IsPriced"/> is false when the model has no price, so 0 is a guess.</summary>
public readonly record struct ModelCost(decimal Usd, bool IsPriced)
{
    /// <summary>The cost to record: null when the model is unpriced, so it is flagged rather than counted as free.</summary>
    public decimal? OrNull => IsPriced ? Usd : null;
}
