namespace SaasAssistants.Contracts.Events.Tasks;

public sealed record TaskCancelled : TaskEvent
{
    /// <summary>Attempts started before the cancel took effect (0 when it was cancelled while waiting).</summary>
    public required int Attempts { get; init; }
}
