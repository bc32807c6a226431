using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Outbox;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Runs one claimed task in its own DI scope and tenant: writes the attempt's row, runs the processor under the task's
/// token, then in one transaction locks the task row, checks the lease is still this worker's, and writes the attempt's
/// outcome, the artifacts, the task's transition and its events (outbox). Locking the row first (FOR UPDATE) makes a
/// concurrent cancel, heartbeat or rescue wait for this decision instead of racing it. When anything outside the
/// processor fails (the database is away), the task is left alone: its lease lapses and the rescuer takes it over.
/// </summary>
public sealed class TaskExecutor(
    IServiceScopeFactory scopeFactory,
    TaskProcessors processors,
    TaskRetrySchedule retry,
    WorkerIdentity worker,
    TaskMetrics metrics,
    TimeProvider time,
    ILogger<TaskExecutor> logger)
{
    public async Task RunAsync(RunningTask running)
    {
        var claim = running.Claim;
        // Events this task raises carry the correlation id of the request that created it.
        CorrelationContext.Current = claim.CorrelationId;
        using var logScope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["TaskId"] = claim.Id, ["TenantId"] = claim.TenantId, ["TaskType"] = claim.Type, ["Attempt"] = claim.Attempt,
        });
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(claim.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();

        var attempt = TaskAttempt.Begin(claim.TenantId, claim.Id, claim.Attempt, worker.Name, time.GetUtcNow());
        try
        {
            db.TaskAttempts.Add(attempt);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the start of task {TaskId}; its lease will lapse and the rescuer will requeue it", claim.Id);
            return;
        }

        var outcome = await ProcessAsync(running, scope.ServiceProvider);
        if (outcome is TaskOutcome.Lost)
        {
            logger.LogWarning("Task {TaskId} attempt {Attempt} lost its lease while running; its result is dropped", claim.Id, claim.Attempt);
            return;
        }

        try
        {
            await FinishAsync(db, attempt, claim, outcome);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException or TaskTransitionException)
        {
            logger.LogWarning("Task {TaskId} attempt {Attempt} changed hands before its result was saved; the result is dropped ({Reason})",
                claim.Id, claim.Attempt, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not save the result of task {TaskId}; its lease will lapse and the rescuer will requeue it", claim.Id);
        }
    }

    private async Task<TaskOutcome> ProcessAsync(RunningTask running, IServiceProvider services)
    {
        var claim = running.Claim;
        var processor = processors.Find(claim.Type);
        if (processor is null)
            return new TaskOutcome.Failed(new TaskFailure(TaskEngineErrorCodes.UnknownTaskType, false, $"No processor is registered for task type '{claim.Type}'."));

        using var payload = JsonDocument.Parse(claim.Payload);
        try
        {
            var errors = processor.Validate(payload.RootElement);
            if (errors.Count > 0)
                return new TaskOutcome.Failed(new TaskFailure(TaskEngineErrorCodes.InvalidPayload, false, string.Join("; ", errors)));

            var execution = new TaskExecution
            {
                TaskId = claim.Id, TenantId = claim.TenantId, Type = claim.Type, Attempt = claim.Attempt, MaxAttempts = claim.MaxAttempts,
                CorrelationId = claim.CorrelationId, Payload = payload.RootElement, Services = services,
            };
            return new TaskOutcome.Succeeded(await processor.ProcessAsync(execution, running.Token));
        }
        catch (Exception) when (running.StopReason is { } reason)
        {
            // Whatever the processor threw on its way out, it was stopped on purpose; the reason decides what is written.
            return reason switch
            {
                TaskStopReason.CancelRequested => new TaskOutcome.Cancelled(),
                TaskStopReason.Shutdown => new TaskOutcome.Released(),
                _ => new TaskOutcome.Lost(),
            };
        }
        catch (Exception ex)
        {
            return new TaskOutcome.Failed(Classify(processor, ex));
        }
    }

    private TaskFailure Classify(ITaskProcessor processor, Exception exception)
    {
        try
        {
            return processor.ClassifyFailure(exception);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Processor {Processor} could not classify a {Exception}", processor.GetType().Name, exception.GetType().Name);
            return TaskFailure.Unexpected(exception);
        }
    }

    private async Task FinishAsync(SaasDbContext db, TaskAttempt attempt, ClaimedTask claim, TaskOutcome outcome)
    {
        // One SaveChanges in our own transaction: EF's savepoint around it would only add two round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var task = await db.Tasks.FromSql($"SELECT * FROM tasks WHERE id = {claim.Id} FOR UPDATE").SingleOrDefaultAsync(CancellationToken.None);
        if (task is not { Status: TaskItemStatus.Running } || task.LockedBy != worker.Name || task.AttemptCount != claim.Attempt)
        {
            logger.LogWarning("Task {TaskId} attempt {Attempt} is no longer held by this worker (now {Status}, attempt {Current}); the result is dropped",
                claim.Id, claim.Attempt, task?.Status, task?.AttemptCount);
            return;
        }

        var now = time.GetUtcNow();
        db.TaskArtifacts.AddRange(TaskCompletion.Apply(task, attempt, new TaskLease(worker.Name, claim.Attempt), outcome, now, retry));
        var events = task.TakeEvents();
        foreach (var @event in events)
            db.AddIntegrationEvent(@event);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        metrics.AttemptEnded(claim.Type, attempt.Status.ToString(), now - attempt.StartedAt);
        metrics.Record(events);
        if (outcome is TaskOutcome.Failed { Failure: var failure })
            logger.LogWarning("Task {TaskId} attempt {Attempt} failed with {ErrorCode} ({Retryable}); task is now {Status}",
                claim.Id, claim.Attempt, failure.Code, failure.IsRetryable ? "retryable" : "not retryable", task.Status);
    }
}
