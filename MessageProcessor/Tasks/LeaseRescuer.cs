using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Returns the tasks of dead or hung workers to the queue. Every few seconds it asks task_rescue_expired for running
/// tasks whose lease ran out, then per task, in its tenant scope and one transaction: locks the row, checks the lease
/// is still expired (a late heartbeat or another rescuer may have come first), records the attempt as failed with
/// <see cref="TaskErrorCodes.LeaseExpired"/> and lets the entity requeue it with backoff or dead-letter it. Every
/// instance runs one; the row lock and the concurrency tokens make racing rescuers rescue each task once.
/// </summary>
public sealed class LeaseRescuer(
    TaskQueue queue,
    IServiceScopeFactory scopeFactory,
    TaskRetrySchedule retry,
    TaskMetrics metrics,
    TimeProvider time,
    IOptions<TaskEngineOptions> options,
    ILogger<LeaseRescuer> logger) : BackgroundService
{
    private readonly TaskEngineOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RescueInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch rescued means more are waiting: go on at once rather than a whole interval later.
                while (await RescueExpiredAsync(stoppingToken) == _options.RescueBatchSize)
                {
                }
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Looking for expired task leases failed; trying again in {Interval}", _options.RescueInterval);
                await Task.Delay(_options.RescueInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One round: rescues the leases that have expired by now. Returns how many tasks it rescued.</summary>
    public async Task<int> RescueExpiredAsync(CancellationToken cancellationToken)
    {
        var expired = await queue.FindExpiredAsync(_options.RescueBatchSize, cancellationToken);
        var rescued = 0;
        foreach (var lease in expired)
        {
            try
            {
                if (await RescueAsync(lease, cancellationToken))
                {
                    rescued++;
                }
            }
            catch (Exception ex) when (ex is DbUpdateException or TaskTransitionException)
            {
                // DbUpdateConcurrencyException is a DbUpdateException too: someone changed the task first, so it is theirs.
                logger.LogDebug("Task {TaskId} changed while being rescued; left to whoever changed it ({Reason})", lease.Id, ex.Message);
            }
        }
        return rescued;
    }

    private async Task<bool> RescueAsync(ExpiredLease expired, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(expired.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        // One SaveChanges in our own transaction: EF's savepoint around it would only add two round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var task = await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = {expired.Id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (task is not { Status: TaskItemStatus.Running } || task.AttemptCount != expired.Attempt || task.LockedUntil > now)
        {
            return false;
        }

        CorrelationContext.Current = task.CorrelationId;
        var error = new TaskError(TaskErrorCodes.LeaseExpired, $"{task.LockedBy} stopped renewing its lease");
        var attempt = await db.TaskAttempts.SingleOrDefaultAsync(a => a.TaskId == task.Id && a.AttemptNo == task.AttemptCount, cancellationToken);
        if (attempt is null)
        {
            // The worker died between its claim and the attempt's first write; its last sign of life is the task's update.
            attempt = TaskAttempt.Begin(task.TenantId, task.Id, task.AttemptCount, task.LockedBy ?? "unknown", task.UpdatedAt);
            db.TaskAttempts.Add(attempt);
        }
        attempt.Fail(error, now);
        task.ExpireLease(now, retry.NextAttemptAt(task.Type, task.AttemptCount));
        var events = task.TakeEvents();
        foreach (var @event in events)
        {
            db.AddIntegrationEvent(@event);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        metrics.LeaseExpired(task.Type);
        metrics.AttemptEnded(task.Type, attempt.Status.ToString(), now - attempt.StartedAt);
        metrics.Record(events);
        logger.LogWarning("Task {TaskId} attempt {Attempt} of worker {Worker} lost its lease; task is now {Status}",
            task.Id, attempt.AttemptNo, attempt.Worker, task.Status);
        return true;
    }
}
