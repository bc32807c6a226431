using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>Stopping a worker: it claims nothing more, lets running tasks finish within the grace period, and hands back the rest.</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class ShutdownTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_task_that_finishes_within_the_grace_period_succeeds()
    {
        var tenant = await fixture.ResetAsync();
        var executions = new ExecutionLog();
        await using var host = await TaskEngineHost.StartAsync(fixture, executions, new Dictionary<string, string?> { ["Tasks:ShutdownGrace"] = "00:00:10" });
        var id = await fixture.EnqueueAsync(tenant, BlockingProcessor.TaskType, """{"ms":1500}""");
        await Wait.UntilAsync(() => executions.Of(id).Count == 1, Timeout, "the task to start", () => host.Log.Tail(20));

        await host.StopAsync();

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(tenant, id)).Status);
        Assert.Null(executions.StoppedAt(id));
    }

    [Fact]
    public async Task A_task_still_running_after_the_grace_period_is_handed_back_and_another_worker_runs_it()
    {
        var tenant = await fixture.ResetAsync();
        var executions = new ExecutionLog();
        var first = await TaskEngineHost.StartAsync(fixture, executions, new Dictionary<string, string?> { ["Tasks:ShutdownGrace"] = "00:00:00.500" });
        var id = await fixture.EnqueueAsync(tenant, BlockingProcessor.TaskType, """{"ms":3000}""");
        await Wait.UntilAsync(() => executions.Of(id).Count == 1, Timeout, "the task to start", () => first.Log.Tail(20));
        var firstWorker = first.Worker;

        await first.DisposeAsync();

        var released = await fixture.TaskAsync(tenant, id);
        Assert.Equal((TaskItemStatus.Queued, 1, null), (released.Status, released.AttemptCount, released.LockedBy));
        Assert.NotNull(executions.StoppedAt(id));
        var attempt = Assert.Single(await fixture.AttemptsAsync(tenant, id));
        Assert.Equal((TaskAttemptStatus.Released, null), (attempt.Status, attempt.ErrorCode));

        await using var second = await TaskEngineHost.StartAsync(fixture, executions);
        await Wait.UntilAsync(() => fixture.StatusIsAsync(tenant, id, TaskItemStatus.Succeeded), Timeout, "the second worker to finish it", () => second.Log.Tail(20));
        Assert.Equal([(1, firstWorker), (2, second.Worker)], executions.Of(id).Select(e => (e.Attempt, e.Worker)));
    }
}
