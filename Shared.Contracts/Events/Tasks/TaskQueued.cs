namespace SaasAssistants.Contracts.Events.Tasks;

/// <summary>
/// The workers' wake-up (queue tasks-queued): a task is waiting to be claimed. Only a hint: workers also poll, so a
/// lost message delays a task by one poll interval at most, and a task not yet due is simply not claimed.
/// </summary>
public sealed record TaskQueued : TaskEvent
{
    /// <summary>The number the next attempt will have (1 for a new task).</summary>
    public required int Attempt { get; init; }

    /// <summary>When the task becomes due; later than now for a scheduled task or a retry after backoff.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }
}
