using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Writes finished attempts in batches: everything that finished while the previous write was in flight goes out
/// together, one transaction per tenant, so the number of commits follows the database's pace instead of the number of
/// tasks. Each transaction locks its task rows first (FOR UPDATE, in id order), which makes a concurrent cancel,
/// heartbeat or rescue wait for this decision instead of racing it, then checks every lease is still this worker's and
/// writes, through the entities' own transitions, the attempts' outcomes, the artifacts, the tasks' new states and their
/// events (outbox). A task that changed hands is skipped and its result dropped. When a batch fails as a whole, each
/// task is tried alone, so one bad row does not hold back the rest; when the database is away the tasks are left
/// alone: their leases lapse and the rescuer takes them over.
/// </summary>
public sealed class TaskCompletionWriter(
    IServiceScopeFactory scopeFactory,
    TaskRetrySchedule retry,
    WorkerIdentity worker,
    TaskMetrics metrics,
    TimeProvider time,
    ILogger<TaskCompletionWriter> logger)
{
    // Bounds one transaction; a longer backlog is written by the batches that follow at once.
    private const int MaxBatch = 256;

    private readonly Channel<PendingCompletion> _pending = Channel.CreateUnbounded<PendingCompletion>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues an attempt's outcome; completes once it is written, dropped (the task changed hands) or given up on.</summary>
    public Task WriteAsync(ClaimedTask claim, TaskOutcome outcome)
    {
        var pending = new PendingCompletion(claim, outcome);
        if (!_pending.Writer.TryWrite(pending))
        {
            logger.LogWarning("Task {TaskId} finished after the completion writer stopped; its lease will lapse and the rescuer will requeue it", claim.Id);
            pending.Done.TrySetResult();
        }
        return pending.Done.Task;
    }

    /// <summary>Writes until <paramref name="cancellationToken"/> fires; the worker stops it only after every running task was written.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PendingCompletion>(MaxBatch);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                foreach (var tenant in batch.GroupBy(p => p.Claim.TenantId))
                {
                    await WriteOrSplitAsync(tenant.ToList());
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _pending.Writer.TryComplete();
            while (_pending.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }
        }
    }

    private async Task WriteOrSplitAsync(IReadOnlyList<PendingCompletion> completions)
    {
        try
        {
            await WriteAsync(completions);
        }
        catch (Exception ex) when (completions.Count > 1)
        {
            logger.LogDebug(ex, "Writing {Count} task results together failed; writing them one by one", completions.Count);
            foreach (var pending in completions)
            {
                await WriteOrSplitAsync([pending]);
            }
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException or TaskTransitionException)
        {
            var claim = completions[0].Claim;
            logger.LogWarning("Task {TaskId} attempt {Attempt} changed hands before its result was saved; the result is dropped ({Reason})",
                claim.Id, claim.Attempt, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not save the result of task {TaskId}; its lease will lapse and the rescuer will requeue it", completions[0].Claim.Id);
        }
        finally
        {
            foreach (var pending in completions)
            {
                pending.Done.TrySetResult();
            }
        }
    }

    /// <summary>One transaction for tasks of one tenant.</summary>
    private async Task WriteAsync(IReadOnlyList<PendingCompletion> completions)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(completions[0].Claim.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        // One SaveChanges in our own transaction: EF's savepoint around it would only add two round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);

        var ids = completions.Select(p => p.Claim.Id).ToArray();
        var tasks = await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = ANY({ids}) ORDER BY id FOR UPDATE")
            .ToDictionaryAsync(t => t.Id, CancellationToken.None);
        // task_claim wrote each attempt's row together with the claim.
        var attempts = await db.TaskAttempts.Where(a => ids.Contains(a.TaskId) && a.Status == TaskAttemptStatus.Running)
            .ToDictionaryAsync(a => (a.TaskId, a.AttemptNo), CancellationToken.None);

        var now = time.GetUtcNow();
        var written = new List<(PendingCompletion Pending, TaskItem Task, TaskAttempt Attempt, IReadOnlyList<TaskEvent> Events)>(completions.Count);
        foreach (var pending in completions)
        {
            var claim = pending.Claim;
            var task = tasks.GetValueOrDefault(claim.Id);
            if (task is not { Status: TaskItemStatus.Running } || task.LockedBy != worker.Name || task.AttemptCount != claim.Attempt
                || !attempts.TryGetValue((claim.Id, claim.Attempt), out var attempt))
            {
                logger.LogWarning("Task {TaskId} attempt {Attempt} is no longer held by this worker (now {Status}, attempt {Current}); the result is dropped",
                    claim.Id, claim.Attempt, task?.Status, task?.AttemptCount);
                continue;
            }

            db.TaskArtifacts.AddRange(TaskCompletion.Apply(task, attempt, new TaskLease(worker.Name, claim.Attempt), pending.Outcome, now, retry));
            var events = task.TakeEvents();
            // The events carry the correlation id of the request that created the task.
            CorrelationContext.Current = claim.CorrelationId;
            foreach (var @event in events)
            {
                db.AddIntegrationEvent(@event);
            }

            written.Add((pending, task, attempt, events));
        }
        CorrelationContext.Current = null;
        // The batch's task and attempt rows as one UPDATE each, then the inserts (artifacts, outbox) in one SaveChanges.
        await db.UpdateModifiedInBulkAsync<TaskItem>(CancellationToken.None);
        await db.UpdateModifiedInBulkAsync<TaskAttempt>(CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        foreach (var (pending, task, attempt, events) in written)
        {
            metrics.AttemptEnded(task.Type, attempt.Status.ToString(), now - attempt.StartedAt);
            metrics.Record(events);
            if (pending.Outcome is TaskOutcome.Failed { Failure: var failure })
            {
                logger.LogWarning("Task {TaskId} attempt {Attempt} failed with {ErrorCode} ({Retryable}); task is now {Status}",
                    task.Id, attempt.AttemptNo, failure.Code, failure.IsRetryable ? "retryable" : "not retryable", task.Status);
            }
        }
    }

    private sealed class PendingCompletion(ClaimedTask claim, TaskOutcome outcome)
    {
        public ClaimedTask Claim { get; } = claim;

        public TaskOutcome Outcome { get; } = outcome;

        // Asynchronous continuations: the executor's clean-up must not run on (and hold up) the writer's loop.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
