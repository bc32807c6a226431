using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

/// <summary>Tasks brought to each status the way production code would bring them there, for the tests to act on.</summary>
internal static class TaskSamples
{
    public static readonly Guid TenantId = Guid.Parse("0192a5c4-0000-7000-8000-000000000001");
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset LeaseEnd = T0.AddSeconds(30);
    public const string Worker = "worker-a";

    public static TaskItem New(int maxAttempts = TaskItem.DefaultMaxAttempts, DateTimeOffset? scheduledAt = null) =>
        TaskItem.Create(TenantId, "ai.generate", """{"prompt":"hi"}""", T0, maxAttempts: maxAttempts, scheduledAt: scheduledAt, correlationId: "corr-1");

    /// <summary>
    /// A task at rest in <paramref name="status"/>, with the lease a worker would hold if it is running (a made-up one
    /// otherwise) and its events already taken. Failed is never at rest: it is passed through inside Fail.
    /// </summary>
    public static (TaskItem Task, TaskLease Lease) In(TaskItemStatus status, int maxAttempts = TaskItem.DefaultMaxAttempts)
    {
        var task = New(maxAttempts);
        var lease = new TaskLease(Worker, 1);
        switch (status)
        {
            case TaskItemStatus.Created:
                break;
            case TaskItemStatus.Queued:
                task.Enqueue(T0);
                break;
            case TaskItemStatus.Running:
                lease = Run(task);
                break;
            case TaskItemStatus.Succeeded:
                task.Succeed(Run(task), T0);
                break;
            case TaskItemStatus.Cancelled:
                task.RequestCancel(T0);
                break;
            case TaskItemStatus.DeadLetter:
                task.Fail(Run(task), new TaskError("bad_payload"), retryable: false, T0, T0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status a task rests in.");
        }
        Assert.Equal(status, task.Status);
        task.TakeEvents();
        return (task, lease);
    }

    private static TaskLease Run(TaskItem task)
    {
        task.Enqueue(T0);
        return task.Start(Worker, LeaseEnd, T0);
    }
}
