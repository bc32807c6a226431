namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>A claimed task while this worker runs it: its cancellation, and why it was stopped (the first reason wins).</summary>
public sealed class RunningTask(ClaimedTask claim, long claimedAt) : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private int _stopReason = -1;
    private volatile bool _finishing;

    public ClaimedTask Claim { get; } = claim;

    /// <summary>When the claim returned it (a <see cref="TimeProvider"/> timestamp): the start of its wait for a slot.</summary>
    public long ClaimedAt { get; } = claimedAt;

    public CancellationToken Token => _cancellation.Token;

    public TaskStopReason? StopReason => Volatile.Read(ref _stopReason) is var reason and >= 0 ? (TaskStopReason)reason : null;

    /// <summary>Completes when the engine is done with the task (written, or given up); shutdown waits on it.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>
    /// The processor is done and the outcome waits for its write. The lease is still renewed until then, but a task that
    /// vanishes from the heartbeat's answer now has most likely just been written, so that is no longer news.
    /// </summary>
    public bool IsFinishing => _finishing;

    public void MarkFinishing() => _finishing = true;

    public void Stop(TaskStopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, -1) != -1)
        {
            return;
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The task ended meanwhile; there is nothing left to cancel.
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
