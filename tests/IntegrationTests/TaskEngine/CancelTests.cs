using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>Cancel is best-effort: a waiting task ends at once, a running one sees its token fire within about a second.</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class CancelTests(TaskEngineFixture fixture, ITestOutputHelper output) : IClassFixture<TaskEngineFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ExecutionLog _executions = new();
    private TaskEngineHost _host = null!;
    private Guid _tenant;

    public async Task InitializeAsync()
    {
        _tenant = await fixture.ResetAsync();
        // A 3 s lease beats every second: the heartbeat fallback below is then quick enough to test.
        _host = await TaskEngineHost.StartAsync(fixture, _executions, new Dictionary<string, string?> { ["Tasks:Lease"] = "00:00:03" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await fixture.OwnerExecuteAsync("ALTER TABLE tasks ENABLE TRIGGER tasks_cancel_notify");
    }

    [Fact]
    public async Task A_queued_task_is_cancelled_at_once_and_never_runs()
    {
        var waiting = await fixture.EnqueueAsync(_tenant, BlockingProcessor.TaskType, scheduledAt: DateTimeOffset.UtcNow.AddSeconds(2));

        await fixture.RequestCancelAsync(_tenant, waiting);

        var task = await fixture.TaskAsync(_tenant, waiting);
        Assert.Equal((TaskItemStatus.Cancelled, 0), (task.Status, task.AttemptCount));
        // A later, lower-priority task runs: by then the cancelled one would have been claimed if it could be.
        await fixture.OwnerExecuteAsync($"UPDATE tasks SET scheduled_at = now() - interval '1 minute' WHERE id = '{waiting}'");
        var sentinel = await fixture.EnqueueAsync(_tenant, RecordingProcessor.TaskType, priority: -1);
        await Wait.UntilAsync(() => fixture.StatusIsAsync(_tenant, sentinel, TaskItemStatus.Succeeded), Timeout, "the sentinel task", () => _host.Log.Tail(20));
        Assert.Empty(_executions.Of(waiting));
        Assert.Empty(await fixture.AttemptsAsync(_tenant, waiting));
        Assert.Equal(["TaskCancelled", "TaskQueued"], (await fixture.EventsAsync(_tenant, waiting)).Order());
    }

    [Fact]
    public async Task A_running_task_sees_its_token_fire_within_a_second_and_ends_cancelled()
    {
        var id = await fixture.EnqueueAsync(_tenant, BlockingProcessor.TaskType);
        await Wait.UntilAsync(() => _executions.Of(id).Count == 1, Timeout, "the task to start", () => _host.Log.Tail(20));

        var requestedAt = DateTimeOffset.UtcNow;
        await fixture.RequestCancelAsync(_tenant, id);
        await Wait.UntilAsync(() => _executions.StoppedAt(id) is not null, Timeout, "the token to fire", () => _host.Log.Tail(20));
        var latency = _executions.StoppedAt(id)!.Value - requestedAt;
        await Wait.UntilAsync(async () => (await fixture.TaskAsync(_tenant, id)).IsEnded, Timeout, "the task to end", () => _host.Log.Tail(20));

        output.WriteLine($"cancel to token: {latency.TotalMilliseconds:0} ms");
        Assert.True(latency < TimeSpan.FromSeconds(1), $"the token fired {latency.TotalMilliseconds:0} ms after the cancel");
        Assert.Equal(TaskItemStatus.Cancelled, (await fixture.TaskAsync(_tenant, id)).Status);
        Assert.Equal(TaskAttemptStatus.Cancelled, Assert.Single(await fixture.AttemptsAsync(_tenant, id)).Status);
        Assert.Contains("TaskCancelled", await fixture.EventsAsync(_tenant, id));
    }

    [Fact]
    public async Task Without_the_notification_the_heartbeat_still_delivers_the_cancel()
    {
        await fixture.OwnerExecuteAsync("ALTER TABLE tasks DISABLE TRIGGER tasks_cancel_notify");
        var id = await fixture.EnqueueAsync(_tenant, BlockingProcessor.TaskType);
        await Wait.UntilAsync(() => _executions.Of(id).Count == 1, Timeout, "the task to start", () => _host.Log.Tail(20));

        await fixture.RequestCancelAsync(_tenant, id);

        await Wait.UntilAsync(() => fixture.StatusIsAsync(_tenant, id, TaskItemStatus.Cancelled), TimeSpan.FromSeconds(10),
            "the heartbeat (every second here) to deliver the cancel", () => _host.Log.Tail(20));
    }
}
