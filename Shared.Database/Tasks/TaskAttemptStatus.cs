namespace SaasAssistants.Database.Tasks;

/// <summary>How one execution ended; stored as the member's name (task_attempts.status).</summary>
public enum TaskAttemptStatus
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>Given back unfinished at shutdown; not a failure, the task went back to the queue.</summary>
    Released,
}
