using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

/// <summary>
/// Every method of the entity from every status a task can rest in: the allowed ones land where the state machine says,
/// the forbidden ones throw <see cref="TaskTransitionException"/> and change nothing.
/// </summary>
public class TaskItemTransitionTests
{
    public enum TaskAction
    {
        Enqueue,
        Start,
        Succeed,
        FailRetryable,
        FailPermanent,
        ExpireLease,
        ReleaseLease,
        RequestCancel,
        ConfirmCancelled,
    }

    private static readonly DateTimeOffset At = TaskSamples.T0.AddMinutes(1); // after the sample lease ran out

    private static readonly TaskItemStatus[] RestingStatuses =
    [
        TaskItemStatus.Created, TaskItemStatus.Queued, TaskItemStatus.Running,
        TaskItemStatus.Succeeded, TaskItemStatus.Cancelled, TaskItemStatus.DeadLetter,
    ];

    // (from, action) → where the task ends; a pair not listed must throw.
    private static readonly Dictionary<(TaskItemStatus, TaskAction), TaskItemStatus> Outcomes = new()
    {
        [(TaskItemStatus.Created, TaskAction.Enqueue)] = TaskItemStatus.Queued,
        [(TaskItemStatus.Created, TaskAction.RequestCancel)] = TaskItemStatus.Cancelled,
        [(TaskItemStatus.Queued, TaskAction.Start)] = TaskItemStatus.Running,
        [(TaskItemStatus.Queued, TaskAction.RequestCancel)] = TaskItemStatus.Cancelled,
        [(TaskItemStatus.Running, TaskAction.Succeed)] = TaskItemStatus.Succeeded,
        [(TaskItemStatus.Running, TaskAction.FailRetryable)] = TaskItemStatus.Queued,
        [(TaskItemStatus.Running, TaskAction.FailPermanent)] = TaskItemStatus.DeadLetter,
        [(TaskItemStatus.Running, TaskAction.ExpireLease)] = TaskItemStatus.Queued,
        [(TaskItemStatus.Running, TaskAction.ReleaseLease)] = TaskItemStatus.Queued,
        [(TaskItemStatus.Running, TaskAction.RequestCancel)] = TaskItemStatus.Running, // recorded; the worker confirms
        [(TaskItemStatus.Running, TaskAction.ConfirmCancelled)] = TaskItemStatus.Cancelled,
    };

    public static TheoryData<TaskItemStatus, TaskAction> EveryStatusAndAction()
    {
        var data = new TheoryData<TaskItemStatus, TaskAction>();
        foreach (var from in RestingStatuses)
        {
            foreach (var action in Enum.GetValues<TaskAction>())
            {
                data.Add(from, action);
            }
        }

        return data;
    }

    [Fact]
    public void The_matrix_covers_every_resting_status_and_every_method()
    {
        Assert.Equal(RestingStatuses.Length * Enum.GetValues<TaskAction>().Length, EveryStatusAndAction().Count);
        Assert.Equal(Enum.GetValues<TaskItemStatus>().Except([TaskItemStatus.Failed]), RestingStatuses);
    }

    [Theory]
    [MemberData(nameof(EveryStatusAndAction))]
    public void Each_method_from_each_status_lands_where_specified_or_throws(TaskItemStatus from, TaskAction action)
    {
        var (task, lease) = TaskSamples.In(from);

        if (Outcomes.TryGetValue((from, action), out var expected))
        {
            Perform(task, lease, action);
            Assert.Equal(expected, task.Status);
        }
        else
        {
            var before = Snapshot(task);
            var error = Assert.Throws<TaskTransitionException>(() => Perform(task, lease, action));
            Assert.Equal(from, error.From);
            Assert.Equal(task.Id, error.TaskId);
            Assert.Equal(before, Snapshot(task));
            Assert.Empty(task.TakeEvents());
        }
    }

    [Theory]
    [InlineData(TaskAction.Enqueue, TaskItemStatus.Queued)]
    [InlineData(TaskAction.Start, TaskItemStatus.Running)]
    [InlineData(TaskAction.Succeed, TaskItemStatus.Succeeded)]
    [InlineData(TaskAction.FailRetryable, TaskItemStatus.Failed)]
    [InlineData(TaskAction.FailPermanent, TaskItemStatus.Failed)]
    [InlineData(TaskAction.ExpireLease, TaskItemStatus.Failed)]
    [InlineData(TaskAction.ReleaseLease, TaskItemStatus.Queued)]
    [InlineData(TaskAction.RequestCancel, TaskItemStatus.Cancelled)]
    [InlineData(TaskAction.ConfirmCancelled, TaskItemStatus.Cancelled)]
    public void A_refused_method_names_the_status_it_aimed_for(TaskAction action, TaskItemStatus to)
    {
        var (task, lease) = TaskSamples.In(TaskItemStatus.Succeeded);

        var error = Assert.Throws<TaskTransitionException>(() => Perform(task, lease, action));

        Assert.Equal(to, error.To);
    }

    private static void Perform(TaskItem task, TaskLease lease, TaskAction action)
    {
        switch (action)
        {
            case TaskAction.Enqueue:
                task.Enqueue(At);
                break;
            case TaskAction.Start:
                task.Start(TaskSamples.Worker, At.AddSeconds(30), At);
                break;
            case TaskAction.Succeed:
                task.Succeed(lease, At);
                break;
            case TaskAction.FailRetryable:
                task.Fail(lease, new TaskError("timeout"), retryable: true, At.AddSeconds(5), At);
                break;
            case TaskAction.FailPermanent:
                task.Fail(lease, new TaskError("bad_payload"), retryable: false, At.AddSeconds(5), At);
                break;
            case TaskAction.ExpireLease:
                task.ExpireLease(At, At.AddSeconds(5));
                break;
            case TaskAction.ReleaseLease:
                task.ReleaseLease(lease, At);
                break;
            case TaskAction.RequestCancel:
                task.RequestCancel(At);
                break;
            case TaskAction.ConfirmCancelled:
                // A worker confirms only after a cancel was requested; without one it is refused (see TaskItemCancelTests).
                if (task.Status == TaskItemStatus.Running)
                {
                    task.RequestCancel(At);
                }

                task.ConfirmCancelled(lease, At);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    private static object Snapshot(TaskItem t) => (t.Status, t.AttemptCount, t.LockedBy, t.LockedUntil, t.ScheduledAt,
        t.UpdatedAt, t.FinishedAt, t.LastError, t.CancelRequestedAt);
}
