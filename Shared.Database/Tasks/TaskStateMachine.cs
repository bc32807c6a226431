namespace SaasAssistants.Database.Tasks;

/// <summary>The allowed status changes of a task: the one table <see cref="TaskItem"/> checks every change against.</summary>
public static class TaskStateMachine
{
    private static readonly Dictionary<TaskItemStatus, TaskItemStatus[]> Allowed = new()
    {
        [TaskItemStatus.Created] = [TaskItemStatus.Queued, TaskItemStatus.Cancelled],
        [TaskItemStatus.Queued] = [TaskItemStatus.Running, TaskItemStatus.Cancelled],
        // Queued again: the lease was released at shutdown. Cancelled: the worker confirmed a requested cancel.
        [TaskItemStatus.Running] = [TaskItemStatus.Succeeded, TaskItemStatus.Failed, TaskItemStatus.Cancelled, TaskItemStatus.Queued],
        [TaskItemStatus.Failed] = [TaskItemStatus.Queued, TaskItemStatus.DeadLetter],
        [TaskItemStatus.Succeeded] = [],
        [TaskItemStatus.Cancelled] = [],
        [TaskItemStatus.DeadLetter] = [],
    };

    public static bool CanTransition(TaskItemStatus from, TaskItemStatus to) => Allowed[from].Contains(to);

    /// <summary>Succeeded, Cancelled and DeadLetter: nothing changes a task after that.</summary>
    public static bool IsTerminal(TaskItemStatus status) => Allowed[status].Length == 0;
}
