namespace SaasAssistants.Database.Tasks;

/// <summary>
/// A status change the state machine does not allow from where the task is (or, with a reason, not for this caller:
/// a lost lease, a task not yet due). Callers map it to 409 Conflict, or drop a stale worker's result.
/// </summary>
public sealed class TaskTransitionException(Guid taskId, TaskItemStatus from, TaskItemStatus to, string? reason = null)
    : InvalidOperationException($"Task {taskId} cannot go from {from} to {to}" + (reason is null ? "." : $": {reason}."))
{
    public Guid TaskId { get; } = taskId;
    public TaskItemStatus From { get; } = from;
    public TaskItemStatus To { get; } = to;
    public string? Reason { get; } = reason;
}
