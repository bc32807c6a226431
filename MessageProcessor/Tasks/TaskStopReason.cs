namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>Why the engine fired a running task's CancellationToken; decides how the attempt is written.</summary>
public enum TaskStopReason
{
    /// <summary>A cancel was requested: the task ends Cancelled.</summary>
    CancelRequested,

    /// <summary>The lease is no longer this worker's (rescued, or ended elsewhere): nothing more may be written.</summary>
    LeaseLost,

    /// <summary>The host is stopping and the grace period ran out: the task goes back to the queue.</summary>
    Shutdown,
}
