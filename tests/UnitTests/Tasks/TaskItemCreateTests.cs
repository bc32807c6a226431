using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

public class TaskItemCreateTests
{
    [Fact]
    public void A_new_task_is_created_due_now_with_three_attempts()
    {
        var task = TaskSamples.New();

        Assert.Equal(TaskItemStatus.Created, task.Status);
        Assert.Equal((TaskSamples.T0, TaskSamples.T0, TaskSamples.T0), (task.CreatedAt, task.UpdatedAt, task.ScheduledAt));
        Assert.Equal((3, 0, 0), (task.MaxAttempts, task.AttemptCount, task.Priority));
        Assert.Equal(7, task.Id.Version); // time-ordered, so inserts append to the primary key's index
        Assert.Equal(TaskSamples.TenantId, task.TenantId);
        Assert.Empty(task.TakeEvents());
        Assert.False(task.IsEnded);
    }

    [Fact]
    public void Every_field_of_the_request_is_kept()
    {
        var at = TaskSamples.T0;
        var task = TaskItem.Create(TaskSamples.TenantId, "ai.generate", "{}", at, priority: 7, scheduledAt: at.AddMinutes(5),
            maxAttempts: 5, domainType: DomainType.CustomerSupport, capabilityType: CapabilityType.LLM_Generation,
            executionType: ExecutionType.Async, idempotencyKey: "k-1", requestHash: "abc", correlationId: "c-9");

        Assert.Equal((7, at.AddMinutes(5), 5), (task.Priority, task.ScheduledAt, task.MaxAttempts));
        Assert.Equal((DomainType.CustomerSupport, CapabilityType.LLM_Generation, ExecutionType.Async),
            (task.DomainType!.Value, task.CapabilityType!.Value, task.ExecutionType!.Value));
        Assert.Equal(("k-1", "abc", "c-9"), (task.IdempotencyKey, task.RequestHash, task.CorrelationId));
    }

    [Fact]
    public void Enqueueing_announces_the_first_attempt()
    {
        var task = TaskSamples.New(scheduledAt: TaskSamples.T0.AddMinutes(1));

        task.Enqueue(TaskSamples.T0);

        var queued = Assert.IsType<TaskQueued>(Assert.Single(task.TakeEvents()));
        Assert.Equal((task.Id, "ai.generate", 1, "corr-1", TaskSamples.TenantId, TaskSamples.T0.AddMinutes(1)),
            (queued.TaskId, queued.Type, queued.Attempt, queued.CorrelationId, queued.TenantId, queued.ScheduledAt));
        Assert.Equal(nameof(TaskQueued), queued.EventName);
    }

    [Fact]
    public void A_scheduled_task_is_not_started_early()
    {
        var due = TaskSamples.T0.AddMinutes(10);
        var task = TaskSamples.New(scheduledAt: due);
        task.Enqueue(TaskSamples.T0);

        var error = Assert.Throws<TaskTransitionException>(() => task.Start(TaskSamples.Worker, due, due.AddSeconds(-1)));

        Assert.Equal(TaskItemStatus.Queued, task.Status);
        Assert.Contains("not due", error.Message);
        Assert.Equal(1, task.Start(TaskSamples.Worker, due.AddSeconds(30), due).Attempt);
    }

    [Fact]
    public void A_lease_must_end_after_it_starts()
    {
        var (task, _) = TaskSamples.In(TaskItemStatus.Queued);

        Assert.Throws<ArgumentOutOfRangeException>(() => task.Start(TaskSamples.Worker, TaskSamples.T0, TaskSamples.T0));
    }

    [Fact]
    public void Invalid_requests_are_refused()
    {
        var at = TaskSamples.T0;
        Assert.Throws<ArgumentException>(() => TaskItem.Create(Guid.Empty, "t", "{}", at));
        Assert.Throws<ArgumentException>(() => TaskItem.Create(TaskSamples.TenantId, " ", "{}", at));
        Assert.Throws<ArgumentException>(() => TaskItem.Create(TaskSamples.TenantId, "t", "{not json", at));
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskItem.Create(TaskSamples.TenantId, "t", "{}", at, maxAttempts: 0));
        // Without the request's hash a replay could not be told from a different request under the same key.
        Assert.Throws<ArgumentException>(() => TaskItem.Create(TaskSamples.TenantId, "t", "{}", at, idempotencyKey: "k"));
    }
}
