namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// What a model call cost, for the attempt's audit row: the model that actually answered, tokens, USD and latency.
/// <see cref="Cost"/> is null for a model without a price: flagged as unpriced, never costed at 0.
/// </summary>
public sealed record TaskUsage(string Model, int TokensIn, int TokensOut, decimal? Cost, TimeSpan Latency);
