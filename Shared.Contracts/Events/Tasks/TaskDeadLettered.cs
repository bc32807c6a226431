namespace SaasAssistants.Contracts.Events.Tasks;

/// <summary>The task ended without success: its attempts ran out or its last error cannot be recovered by retrying.</summary>
public sealed record TaskDeadLettered : TaskEvent
{
    public required int Attempts { get; init; }
    public required string ErrorCode { get; init; }
    public string? ErrorDetail { get; init; }
}
