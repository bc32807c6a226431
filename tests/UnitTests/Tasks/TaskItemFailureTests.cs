using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

/// <summary>What a failed attempt leads to: a retry after backoff while attempts remain, else DeadLetter.</summary>
public class TaskItemFailureTests
{
    private static readonly DateTimeOffset At = TaskSamples.LeaseEnd.AddSeconds(10); // after the sample lease ran out
    private static readonly DateTimeOffset Retry = At.AddSeconds(4);

    [Fact]
    public void A_retryable_failure_with_attempts_left_is_queued_again_for_later()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);

        task.Fail(lease, new TaskError("timeout", "provider took too long"), retryable: true, Retry, At);

        Assert.Equal(TaskItemStatus.Queued, task.Status);
        Assert.Equal(Retry, task.ScheduledAt);
        Assert.Equal(1, task.AttemptCount);
        Assert.Equal("timeout: provider took too long", task.LastError);
        Assert.Null(task.LockedBy);
        Assert.Null(task.LockedUntil);
        Assert.Null(task.FinishedAt);
        var events = task.TakeEvents();
        Assert.Collection(events,
            e =>
            {
                var failed = Assert.IsType<TaskFailed>(e);
                Assert.Equal((1, "timeout", true, Retry), (failed.Attempt, failed.ErrorCode, failed.WillRetry, failed.NextAttemptAt));
            },
            e =>
            {
                var queued = Assert.IsType<TaskQueued>(e);
                Assert.Equal((2, Retry), (queued.Attempt, queued.ScheduledAt));
            });
    }

    [Fact]
    public void A_retried_task_is_not_started_before_its_backoff_ends()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);
        task.Fail(lease, new TaskError("timeout"), retryable: true, Retry, At);

        var early = Assert.Throws<TaskTransitionException>(() => task.Start(TaskSamples.Worker, Retry.AddSeconds(30), Retry.AddTicks(-1)));
        Assert.NotNull(early.Reason);

        var second = task.Start(TaskSamples.Worker, Retry.AddSeconds(30), Retry);
        Assert.Equal(2, second.Attempt);
        Assert.Equal(TaskSamples.T0, task.StartedAt); // the first start is kept
    }

    [Fact]
    public void A_task_whose_attempts_are_exhausted_is_dead_lettered()
    {
        var task = TaskSamples.New(maxAttempts: 3);
        task.Enqueue(TaskSamples.T0);
        var now = TaskSamples.T0;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var lease = task.Start(TaskSamples.Worker, now.AddSeconds(30), now);
            Assert.Equal(attempt, lease.Attempt);
            task.Fail(lease, new TaskError("http_503"), retryable: true, now.AddSeconds(1), now);
            now = now.AddSeconds(1);
        }

        Assert.Equal(TaskItemStatus.DeadLetter, task.Status);
        Assert.Equal(3, task.AttemptCount);
        Assert.Equal(now.AddSeconds(-1), task.FinishedAt);
        var last = task.TakeEvents().TakeLast(2).ToArray();
        Assert.False(Assert.IsType<TaskFailed>(last[0]).WillRetry);
        Assert.Null(((TaskFailed)last[0]).NextAttemptAt);
        var dead = Assert.IsType<TaskDeadLettered>(last[1]);
        Assert.Equal((3, "http_503"), (dead.Attempts, dead.ErrorCode));
    }

    [Fact]
    public void A_non_retryable_failure_dead_letters_at_once_even_with_attempts_left()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running, maxAttempts: 5);

        task.Fail(lease, new TaskError(TaskErrorCodes.ProviderNotConfigured, "no provider 'x'"), retryable: false, Retry, At);

        Assert.Equal(TaskItemStatus.DeadLetter, task.Status);
        Assert.Equal(1, task.AttemptCount);
        Assert.Equal(At, task.FinishedAt);
        Assert.Collection(task.TakeEvents(),
            e => Assert.False(Assert.IsType<TaskFailed>(e).WillRetry),
            e => Assert.Equal(TaskErrorCodes.ProviderNotConfigured, Assert.IsType<TaskDeadLettered>(e).ErrorCode));
    }

    [Fact]
    public void A_single_attempt_task_dead_letters_on_its_first_retryable_failure()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running, maxAttempts: 1);

        task.Fail(lease, new TaskError("timeout"), retryable: true, Retry, At);

        Assert.Equal(TaskItemStatus.DeadLetter, task.Status);
    }

    [Fact]
    public void A_worker_that_lost_its_lease_cannot_end_the_task()
    {
        var (task, stale) = TaskSamples.In(TaskItemStatus.Running);
        task.ExpireLease(TaskSamples.LeaseEnd, TaskSamples.LeaseEnd);
        // The same worker process claims it again in another slot: same name, newer attempt.
        var current = task.Start(TaskSamples.Worker, At.AddSeconds(30), At);
        task.TakeEvents();

        var error = Assert.Throws<TaskTransitionException>(() => task.Succeed(stale, At));
        Assert.Equal(TaskItemStatus.Running, error.From);
        Assert.Throws<TaskTransitionException>(() => task.Fail(stale, new TaskError("x"), true, At, At));
        Assert.Throws<TaskTransitionException>(() => task.ReleaseLease(stale, At));
        Assert.Throws<TaskTransitionException>(() => task.Succeed(new TaskLease("worker-b", current.Attempt), At));
        Assert.Empty(task.TakeEvents());

        task.Succeed(current, At);
        Assert.Equal(TaskItemStatus.Succeeded, task.Status);
    }

    [Fact]
    public void An_expired_lease_counts_as_a_failed_attempt_and_requeues()
    {
        var (task, _) = TaskSamples.In(TaskItemStatus.Running);

        task.ExpireLease(At, Retry);

        Assert.Equal(TaskItemStatus.Queued, task.Status);
        Assert.Equal(Retry, task.ScheduledAt);
        Assert.Equal(1, task.AttemptCount);
        Assert.StartsWith(TaskErrorCodes.LeaseExpired, task.LastError);
        Assert.Null(task.LockedBy);
        var failed = Assert.IsType<TaskFailed>(task.TakeEvents()[0]);
        Assert.Equal(TaskErrorCodes.LeaseExpired, failed.ErrorCode);
        Assert.True(failed.WillRetry);
    }

    [Fact]
    public void An_expired_lease_on_the_last_attempt_dead_letters()
    {
        var (task, _) = TaskSamples.In(TaskItemStatus.Running, maxAttempts: 1);

        task.ExpireLease(At, Retry);

        Assert.Equal(TaskItemStatus.DeadLetter, task.Status);
    }

    [Fact]
    public void A_lease_still_running_cannot_be_expired()
    {
        var (task, _) = TaskSamples.In(TaskItemStatus.Running);

        var error = Assert.Throws<TaskTransitionException>(() => task.ExpireLease(TaskSamples.LeaseEnd.AddTicks(-1), Retry));

        Assert.Equal(TaskItemStatus.Running, task.Status);
        Assert.Contains("lease runs until", error.Message);
    }

    [Fact]
    public void Releasing_a_lease_requeues_without_counting_a_failure()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running, maxAttempts: 1);

        task.ReleaseLease(lease, At);

        Assert.Equal(TaskItemStatus.Queued, task.Status);
        Assert.Null(task.LastError);
        Assert.Null(task.LockedBy);
        Assert.Equal(TaskSamples.T0, task.ScheduledAt); // due at once, keeping its place in the queue
        var queued = Assert.IsType<TaskQueued>(Assert.Single(task.TakeEvents()));
        Assert.Equal(2, queued.Attempt);
        // The attempt number stays used, so the next run is attempt 2 (its own audit row).
        Assert.Equal(2, task.Start(TaskSamples.Worker, At.AddSeconds(30), At).Attempt);
    }

    [Fact]
    public void Succeeding_ends_the_task_and_frees_the_lease()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);

        task.Succeed(lease, At);

        Assert.Equal((TaskItemStatus.Succeeded, At, At), (task.Status, task.FinishedAt, task.UpdatedAt));
        Assert.Null(task.LockedBy);
        Assert.Null(task.LockedUntil);
        Assert.True(task.IsEnded);
        Assert.Equal(1, Assert.IsType<TaskSucceeded>(Assert.Single(task.TakeEvents())).Attempt);
    }
}
