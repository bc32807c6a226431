using Microsoft.Extensions.Options;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Renews the leases of every task this worker runs, in one statement per beat. A task missing from the answer is no
/// longer this worker's (rescued after a stall, or ended): its token fires and its attempt writes nothing. A task whose
/// cancel was requested is stopped too, which is the fallback for a missed cancel notification.
/// </summary>
public sealed class TaskHeartbeat(
    TaskQueue queue,
    RunningTasks running,
    WorkerIdentity worker,
    IOptions<TaskEngineOptions> options,
    ILogger<TaskHeartbeat> logger)
{
    private readonly TaskEngineOptions _options = options.Value;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        while (await WaitAsync(timer, cancellationToken))
        {
            try
            {
                await BeatAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The next beat tries again; a lease only lapses after several missed beats.
                logger.LogWarning(ex, "Task heartbeat failed for {Count} running tasks", running.Count);
            }
        }
    }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var tasks = running.Snapshot();
        if (tasks.Count == 0)
        {
            return;
        }

        var owned = await queue.HeartbeatAsync(worker.Name, tasks.Select(t => t.Claim.Id).ToArray(), _options.Lease, cancellationToken);
        foreach (var task in tasks)
        {
            if (!owned.TryGetValue(task.Claim.Id, out var cancelRequested))
            {
                if (task.StopReason is null && !task.IsFinishing)
                {
                    logger.LogWarning("Task {TaskId} is no longer held by this worker; stopping it", task.Claim.Id);
                }

                task.Stop(TaskStopReason.LeaseLost);
            }
            else if (cancelRequested)
            {
                task.Stop(TaskStopReason.CancelRequested);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
