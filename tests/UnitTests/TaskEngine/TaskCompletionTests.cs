using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Tasks;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

/// <summary>Every outcome of an attempt, written onto a running task and its attempt row, with the clock under the test's control.</summary>
public class TaskCompletionTests
{
    private static readonly Guid TenantId = Guid.Parse("0192a5c4-0000-7000-8000-000000000009");
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Worker = "host:42:abcdef01";

    private readonly ManualTimeProvider _clock = new(T0);

    private TaskRetrySchedule Retry(Random? random = null) => new(new RetryPolicy(_clock, random ?? new Random(3)), _clock);

    private (TaskItem Task, TaskAttempt Attempt, TaskLease Lease) Running(int maxAttempts = 3, int attempt = 1)
    {
        var task = TaskItem.Create(TenantId, "ai.generate", """{"prompt":"hi"}""", T0, maxAttempts: maxAttempts);
        task.Enqueue(T0);
        var lease = task.Start(Worker, T0.AddSeconds(30), T0);
        for (var n = 1; n < attempt; n++)
        {
            task.Fail(lease, new TaskError("timeout"), retryable: true, T0, T0);
            lease = task.Start(Worker, T0.AddSeconds(30), T0);
        }
        task.TakeEvents();
        return (task, TaskAttempt.Begin(TenantId, task.Id, lease.Attempt, Worker, T0), lease);
    }

    [Fact]
    public void Success_stores_the_artifacts_and_the_usage_and_ends_the_task()
    {
        var (task, attempt, lease) = Running();
        _clock.Advance(TimeSpan.FromSeconds(2));
        var result = new TaskResult([TaskOutput.Text("Olá!"), TaskOutput.Json("""{"a":1}""")],
            new TaskUsage("gpt-4o-mini-2024-07-18", 12, 5, 0.000123m, TimeSpan.FromMilliseconds(840.4)));

        var artifacts = TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Succeeded(result), _clock.GetUtcNow(), Retry());

        Assert.Equal(TaskItemStatus.Succeeded, task.Status);
        Assert.Equal((TaskAttemptStatus.Succeeded, "gpt-4o-mini-2024-07-18", 12, 5, 0.000123m, 840),
            (attempt.Status, attempt.Model, attempt.TokensIn, attempt.TokensOut, attempt.Cost, attempt.LatencyMs));
        Assert.Equal([(TaskArtifactKind.Text, "Olá!"), (TaskArtifactKind.Json, """{"a":1}""")], artifacts.Select(a => (a.Kind, a.Content)));
        Assert.All(artifacts, a => Assert.Equal((TenantId, task.Id, T0.AddSeconds(2)), (a.TenantId, a.TaskId, a.CreatedAt)));
        Assert.IsType<TaskSucceeded>(Assert.Single(task.TakeEvents()));
    }

    [Fact]
    public void A_retryable_failure_requeues_the_task_after_a_backoff_within_the_policys_ceiling()
    {
        var (task, attempt, lease) = Running(attempt: 2);

        TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Failed(new TaskFailure("server_error", true, "500")), T0, Retry());

        Assert.Equal(TaskItemStatus.Queued, task.Status);
        Assert.Equal(("server_error", "500"), (attempt.ErrorCode, attempt.ErrorDetail));
        // Second failed attempt: full jitter over [0, 2 s · 2¹].
        Assert.InRange(task.ScheduledAt, T0, T0.AddSeconds(4));
        var events = task.TakeEvents();
        var failed = Assert.IsType<TaskFailed>(events[0]);
        Assert.Equal((2, true, task.ScheduledAt), (failed.Attempt, failed.WillRetry, failed.NextAttemptAt!.Value));
        Assert.Equal(3, Assert.IsType<TaskQueued>(events[1]).Attempt);
    }

    [Fact]
    public void A_providers_retry_after_is_the_least_the_retry_waits()
    {
        var (task, attempt, lease) = Running();

        TaskCompletion.Apply(task, attempt, lease,
            new TaskOutcome.Failed(new TaskFailure("rate_limited", true, RetryAfter: TimeSpan.FromSeconds(7))), T0, Retry());

        Assert.Equal(T0.AddSeconds(7), task.ScheduledAt);
    }

    [Fact]
    public void A_non_retryable_failure_dead_letters_at_once_whatever_attempts_remain()
    {
        var (task, attempt, lease) = Running(maxAttempts: 5);

        TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Failed(new TaskFailure("provider_not_configured", false)), T0, Retry());

        Assert.Equal((TaskItemStatus.DeadLetter, TaskAttemptStatus.Failed), (task.Status, attempt.Status));
        Assert.Equal("provider_not_configured", Assert.IsType<TaskDeadLettered>(task.TakeEvents()[^1]).ErrorCode);
    }

    [Fact]
    public void The_last_allowed_attempt_failing_dead_letters_the_task()
    {
        var (task, attempt, lease) = Running(maxAttempts: 2, attempt: 2);

        TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Failed(new TaskFailure("timeout", true)), T0, Retry());

        Assert.Equal(TaskItemStatus.DeadLetter, task.Status);
        Assert.False(Assert.IsType<TaskFailed>(task.TakeEvents()[0]).WillRetry);
    }

    [Fact]
    public void A_cancelled_attempt_confirms_the_requested_cancel()
    {
        var (task, attempt, lease) = Running();
        task.RequestCancel(T0);

        TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Cancelled(), T0.AddSeconds(1), Retry());

        Assert.Equal((TaskItemStatus.Cancelled, TaskAttemptStatus.Cancelled), (task.Status, attempt.Status));
    }

    [Fact]
    public void A_failure_after_a_cancel_was_requested_ends_cancelled_not_retried()
    {
        var (task, attempt, lease) = Running();
        task.RequestCancel(T0);

        TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Failed(new TaskFailure("timeout", true)), T0, Retry());

        Assert.Equal(TaskItemStatus.Cancelled, task.Status);
    }

    [Fact]
    public void Shutdown_hands_the_task_back_due_at_once_without_counting_a_failure()
    {
        var (task, attempt, lease) = Running();
        var scheduledBefore = task.ScheduledAt;
        _clock.Advance(TimeSpan.FromSeconds(9));

        TaskCompletion.Apply(task, attempt, lease, new TaskOutcome.Released(), _clock.GetUtcNow(), Retry());

        Assert.Equal((TaskItemStatus.Queued, TaskAttemptStatus.Released, scheduledBefore, null), (task.Status, attempt.Status, task.ScheduledAt, attempt.ErrorCode));
        Assert.Null(task.LockedBy);
    }

    [Fact]
    public void A_stale_lease_cannot_write_an_outcome()
    {
        var (task, attempt, lease) = Running();

        Assert.Throws<TaskTransitionException>(() => TaskCompletion.Apply(task, attempt, lease with { Worker = "someone-else" },
            new TaskOutcome.Succeeded(TaskResult.Empty), T0, Retry()));
        Assert.Equal(TaskItemStatus.Running, task.Status);
    }
}
