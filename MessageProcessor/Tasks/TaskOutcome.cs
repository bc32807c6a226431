namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>How an attempt ended, as the worker saw it; <see cref="TaskCompletion"/> turns it into the task's next state.</summary>
public abstract record TaskOutcome
{
    private TaskOutcome()
    {
    }

    public sealed record Succeeded(TaskResult Result) : TaskOutcome;

    public sealed record Failed(TaskFailure Failure) : TaskOutcome;

    /// <summary>A requested cancel stopped the work.</summary>
    public sealed record Cancelled : TaskOutcome;

    /// <summary>Shutdown stopped the work: handed back to the queue, not a failure.</summary>
    public sealed record Released : TaskOutcome;

    /// <summary>The lease was lost: another worker or the rescuer owns the task now, and this attempt writes nothing.</summary>
    public sealed record Lost : TaskOutcome;
}
