using Microsoft.Extensions.Options;
using SaasAssistants.Database;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Claims due tasks (task_claim: FOR UPDATE SKIP LOCKED, priority then age) in small batches while fewer than
/// Tasks:Concurrency run, and runs each on its own. It claims when woken (a TaskQueued message, a finished task) and at
/// least every poll interval, so scheduled tasks, retries and tasks whose message was lost are found without a message.
/// At shutdown it stops claiming, gives running tasks the grace period to finish, then cancels the rest and hands them
/// back to the queue; the heartbeat and cancel listener keep serving them until the last one is written.
/// </summary>
public sealed class TaskWorker(
    TaskQueue queue,
    TaskProcessors processors,
    TaskExecutor executor,
    RunningTasks running,
    TaskWakeUp wakeUp,
    TaskHeartbeat heartbeat,
    TaskCancelListener cancelListener,
    TaskCompletionWriter completions,
    WorkerIdentity worker,
    TimeProvider time,
    IOptions<TaskEngineOptions> options,
    ILogger<TaskWorker> logger) : BackgroundService
{
    // Releasing a lease is one short transaction per task; this only bounds a database that stopped answering.
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskEngineOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Task worker {Worker} runs up to {Concurrency} tasks of types {Types}", worker.Name, _options.Concurrency, processors.Types);
        using var serving = new CancellationTokenSource();
        var renewing = heartbeat.RunAsync(serving.Token);
        var listening = cancelListener.RunAsync(serving.Token);
        var writing = completions.RunAsync(serving.Token);
        try
        {
            await ClaimUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            await DrainAsync();
            await serving.CancelAsync();
            await Task.WhenAll(renewing, listening, writing);
        }
    }

    private async Task ClaimUntilStoppedAsync(CancellationToken cancellationToken)
    {
        var types = _options.ClaimKnownTypesOnly ? processors.Types.ToArray() : null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var free = _options.Concurrency - running.Count;
            if (free > 0)
            {
                var wanted = Math.Min(free, _options.BatchSize);
                IReadOnlyList<ClaimedTask> claimed;
                try
                {
                    claimed = await queue.ClaimAsync(worker.Name, wanted, _options.Lease, types, cancellationToken);
                    failures = 0;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    logger.LogWarning(failures == 1 ? ex : null, "Claiming tasks failed ({Error}); attempt {Attempt}", ex.Message, failures);
                    await Task.Delay(Backoff.Reconnect(failures), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    continue;
                }

                var claimedAt = time.GetTimestamp();
                foreach (var task in claimed)
                {
                    Start(task, claimedAt);
                }
                // A full batch means more may be waiting: claim again at once, as far as free slots allow.
                if (claimed.Count == wanted)
                {
                    continue;
                }
            }

            await wakeUp.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Start(ClaimedTask claim, long claimedAt)
    {
        // A retry with a short backoff can be claimed again before its previous run has left RunningTasks: the
        // completion writer commits the requeue before that run's finally. Start it once the previous run is out.
        if (running.Find(claim.Id) is { } previous)
        {
            previous.Completion.ContinueWith(_ => Start(claim, claimedAt), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        var task = running.Add(claim, claimedAt);
        task.Completion = Task.Run(async () =>
        {
            try
            {
                await executor.RunAsync(task);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Task {TaskId} failed outside its processor", claim.Id);
            }
            finally
            {
                running.Remove(task);
                task.Dispose();
                wakeUp.Wake();
            }
        }, CancellationToken.None);
    }

    private async Task DrainAsync()
    {
        var tasks = running.Snapshot();
        if (tasks.Count == 0)
        {
            return;
        }

        logger.LogInformation("Stopping: waiting up to {Grace} for {Count} running tasks", _options.ShutdownGrace, tasks.Count);
        var all = Task.WhenAll(tasks.Select(t => t.Completion));
        if (await CompletesWithinAsync(all, _options.ShutdownGrace))
        {
            return;
        }

        var unfinished = running.Snapshot();
        logger.LogWarning("Stopping: {Count} tasks did not finish within {Grace}; cancelling them and handing them back to the queue",
            unfinished.Count, _options.ShutdownGrace);
        foreach (var task in unfinished)
        {
            task.Stop(TaskStopReason.Shutdown);
        }

        if (!await CompletesWithinAsync(all, ReleaseTimeout))
        {
            logger.LogError("Stopping: {Count} tasks were not handed back; their leases will lapse and the rescuer will requeue them", running.Count);
        }
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        await Task.WhenAny(task, Task.Delay(timeout));
        return task.IsCompleted;
    }
}
