namespace SaasAssistants.Contracts.Events.Tasks;

/// <summary>
/// One attempt failed. Followed by <see cref="TaskQueued"/> when it will be retried, by <see cref="TaskDeadLettered"/> when
/// not, or by <see cref="TaskCancelled"/> when a cancel had been requested meanwhile.
/// </summary>
public sealed record TaskFailed : TaskEvent
{
    public required int Attempt { get; init; }
    public required string ErrorCode { get; init; }
    public string? ErrorDetail { get; init; }
    public required bool WillRetry { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
}
