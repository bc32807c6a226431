namespace SaasAssistants.Contracts.Events.Tasks;

public sealed record TaskSucceeded : TaskEvent
{
    /// <summary>The attempt that succeeded (1-based).</summary>
    public required int Attempt { get; init; }
}
