using SaasAssistants.Database.Tasks;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Writes an attempt's outcome onto the freshly locked task and its attempt row, through the entities' own transitions
/// (which raise the task events). No I/O, so every outcome is testable without a database.
/// </summary>
public static class TaskCompletion
{
    /// <returns>The artifacts to store with the task.</returns>
    public static IReadOnlyList<TaskArtifact> Apply(
        TaskItem task, TaskAttempt attempt, TaskLease lease, TaskOutcome outcome, DateTimeOffset now, TaskRetrySchedule retry)
    {
        switch (outcome)
        {
            case TaskOutcome.Succeeded { Result: var result }:
                if (result.Usage is { } usage)
                {
                    attempt.RecordUsage(usage.Model, usage.TokensIn, usage.TokensOut, usage.Cost, (int)Math.Round(usage.Latency.TotalMilliseconds));
                }

                attempt.Succeed(now);
                task.Succeed(lease, now);
                return result.Artifacts.Select(output => output.ToArtifact(task.TenantId, task.Id, now)).ToList();
            case TaskOutcome.Failed { Failure: var failure }:
                var error = new TaskError(failure.Code, failure.Detail);
                attempt.Fail(error, now);
                task.Fail(lease, error, failure.IsRetryable, retry.NextAttemptAt(task.Type, lease.Attempt, failure.RetryAfter), now);
                return [];
            case TaskOutcome.Cancelled:
                attempt.Cancel(now);
                task.ConfirmCancelled(lease, now);
                return [];
            case TaskOutcome.Released:
                attempt.Release(now);
                task.ReleaseLease(lease, now);
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A lost attempt writes nothing.");
        }
    }
}
