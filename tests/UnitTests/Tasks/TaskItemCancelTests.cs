using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

/// <summary>Cancel is best-effort: a waiting task ends at once, a running one ends when its worker confirms.</summary>
public class TaskItemCancelTests
{
    private static readonly DateTimeOffset At = TaskSamples.T0.AddSeconds(10);

    [Theory]
    [InlineData(TaskItemStatus.Created)]
    [InlineData(TaskItemStatus.Queued)]
    public void A_waiting_task_is_cancelled_at_once(TaskItemStatus from)
    {
        var (task, _) = TaskSamples.In(from);

        task.RequestCancel(At);

        Assert.Equal((TaskItemStatus.Cancelled, At, At), (task.Status, task.CancelRequestedAt, task.FinishedAt));
        var cancelled = Assert.IsType<TaskCancelled>(Assert.Single(task.TakeEvents()));
        Assert.Equal((task.Id, 0, "corr-1"), (cancelled.TaskId, cancelled.Attempts, cancelled.CorrelationId));
    }

    [Fact]
    public void A_scheduled_task_is_cancelled_at_once()
    {
        var task = TaskSamples.New(scheduledAt: TaskSamples.T0.AddHours(1));
        task.Enqueue(TaskSamples.T0);

        task.RequestCancel(At);

        Assert.Equal(TaskItemStatus.Cancelled, task.Status);
    }

    [Fact]
    public void A_running_task_records_the_request_and_keeps_running_until_its_worker_confirms()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);

        task.RequestCancel(At);
        task.RequestCancel(At.AddSeconds(1)); // asking twice is harmless and keeps the first time

        Assert.Equal(TaskItemStatus.Running, task.Status);
        Assert.Equal(At, task.CancelRequestedAt);
        Assert.Equal(TaskSamples.Worker, task.LockedBy);
        Assert.Empty(task.TakeEvents());

        task.ConfirmCancelled(lease, At.AddSeconds(2));

        Assert.Equal((TaskItemStatus.Cancelled, At.AddSeconds(2)), (task.Status, task.FinishedAt));
        Assert.Null(task.LockedBy);
        Assert.Equal(1, Assert.IsType<TaskCancelled>(Assert.Single(task.TakeEvents())).Attempts);
    }

    [Fact]
    public void A_worker_cannot_confirm_a_cancel_nobody_requested()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);

        var error = Assert.Throws<TaskTransitionException>(() => task.ConfirmCancelled(lease, At));

        Assert.Equal(TaskItemStatus.Running, task.Status);
        Assert.Equal("no cancel was requested", error.Reason);
    }

    [Theory]
    [InlineData(TaskItemStatus.Succeeded)]
    [InlineData(TaskItemStatus.Cancelled)]
    [InlineData(TaskItemStatus.DeadLetter)]
    public void Cancelling_an_ended_task_is_refused(TaskItemStatus ended)
    {
        var (task, _) = TaskSamples.In(ended);

        var error = Assert.Throws<TaskTransitionException>(() => task.RequestCancel(At));

        Assert.Equal((ended, TaskItemStatus.Cancelled), (error.From, error.To));
        Assert.Equal(ended, task.Status);
    }

    [Fact]
    public void A_failure_after_a_cancel_request_ends_cancelled_instead_of_retrying()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);
        task.RequestCancel(At);

        task.Fail(lease, new TaskError("timeout"), retryable: true, At.AddSeconds(5), At.AddSeconds(1));

        Assert.Equal(TaskItemStatus.Cancelled, task.Status);
        Assert.Equal("timeout", task.LastError);
        Assert.Collection(task.TakeEvents(),
            e => Assert.False(Assert.IsType<TaskFailed>(e).WillRetry),
            e => Assert.IsType<TaskCancelled>(e));
    }

    [Fact]
    public void A_released_task_with_a_cancel_request_ends_cancelled()
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Running);
        task.RequestCancel(At);

        task.ReleaseLease(lease, At.AddSeconds(1));

        Assert.Equal(TaskItemStatus.Cancelled, task.Status);
    }

    [Fact]
    public void An_abandoned_task_with_a_cancel_request_ends_cancelled()
    {
        var (task, _) = TaskSamples.In(TaskItemStatus.Running);
        task.RequestCancel(At);

        task.ExpireLease(TaskSamples.LeaseEnd, TaskSamples.LeaseEnd.AddSeconds(5));

        Assert.Equal(TaskItemStatus.Cancelled, task.Status);
        Assert.StartsWith(TaskErrorCodes.LeaseExpired, task.LastError);
    }
}
