namespace SaasAssistants.Database.Tasks;

/// <summary>
/// Where a task is in its life. Stored as the member's name (tasks.status); not called TaskStatus, which
/// System.Threading.Tasks already has. Failed is passed through inside one call (a failed attempt goes on to
/// Queued or DeadLetter at once), so a saved task is never left in it.
/// </summary>
public enum TaskItemStatus
{
    Created,
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    DeadLetter,
}
