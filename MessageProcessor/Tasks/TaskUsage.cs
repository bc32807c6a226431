namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>What a model call cost, for the attempt's audit row: the model that actually answered, tokens, USD and latency.</summary>
public sealed record TaskUsage(string Model, int TokensIn, int TokensOut, decimal Cost, TimeSpan Latency);
