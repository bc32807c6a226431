using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

public class RunningTaskTests
{
    private static ClaimedTask Claim() => new(Guid.CreateVersion7(), Guid.CreateVersion7(), "test", "{}", 1, 3, null);

    [Fact]
    public void Stopping_fires_the_token_and_the_first_reason_wins()
    {
        using var task = new RunningTask(Claim(), 0);

        task.Stop(TaskStopReason.CancelRequested);
        task.Stop(TaskStopReason.LeaseLost);

        Assert.True(task.Token.IsCancellationRequested);
        Assert.Equal(TaskStopReason.CancelRequested, task.StopReason);
    }

    [Fact]
    public void Stopping_a_task_that_already_ended_is_harmless()
    {
        var task = new RunningTask(Claim(), 0);
        task.Dispose();

        task.Stop(TaskStopReason.LeaseLost);

        Assert.Equal(TaskStopReason.LeaseLost, task.StopReason);
    }

    [Fact]
    public void The_registry_finds_and_forgets_running_tasks()
    {
        var running = new RunningTasks();
        var claim = Claim();

        var task = running.Add(claim, 0);

        Assert.Same(task, running.Find(claim.Id));
        Assert.Throws<InvalidOperationException>(() => running.Add(claim, 0));
        running.Remove(task);
        Assert.Null(running.Find(claim.Id));
        Assert.Equal(0, running.Count);
    }
}
