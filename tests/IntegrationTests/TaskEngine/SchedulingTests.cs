using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

[Collection(TaskEngineCollection.Name)]
public sealed class SchedulingTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_scheduled_task_does_not_run_before_its_time()
    {
        var tenant = await fixture.ResetAsync();
        var executions = new ExecutionLog();
        await using var host = await TaskEngineHost.StartAsync(fixture, executions);
        var scheduledAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var later = await fixture.EnqueueAsync(tenant, RecordingProcessor.TaskType, scheduledAt: scheduledAt);
        var now = await fixture.EnqueueAsync(tenant, RecordingProcessor.TaskType);
        await Wait.UntilAsync(() => fixture.StatusIsAsync(tenant, later, TaskItemStatus.Succeeded), Timeout, "the scheduled task to run", () => host.Log.Tail(20));

        Assert.Equal([now, later], executions.All.Select(e => e.TaskId));
        Assert.True(executions.Of(later)[0].StartedAt >= scheduledAt, $"started {executions.Of(later)[0].StartedAt:O}, scheduled {scheduledAt:O}");
    }

    [Fact]
    public async Task Tasks_run_highest_priority_first_then_longest_waiting()
    {
        var tenant = await fixture.ResetAsync();
        var executions = new ExecutionLog();
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        int[] priorities = [0, 5, -2, 5, 1, 0, 10, -2, 1, 0];
        // Distinct due times, the earliest first in the list, so ties in priority are broken by waiting time alone.
        var specs = priorities.Select((priority, i) => new TaskSpec(RecordingProcessor.TaskType, Priority: priority, ScheduledAt: start.AddSeconds(i))).ToList();
        var ids = await fixture.EnqueueManyAsync(tenant, specs);

        // One at a time, started after everything is queued: the order of execution is the order of claiming.
        await using var host = await TaskEngineHost.StartAsync(fixture, executions,
            new Dictionary<string, string?> { ["Tasks:Concurrency"] = "1", ["Tasks:BatchSize"] = "1" });
        await Wait.UntilAsync(() => executions.Count == ids.Count, Timeout, "every task to run", () => host.Log.Tail(20));

        var expected = ids.Select((id, i) => (id, specs[i])).OrderByDescending(t => t.Item2.Priority).ThenBy(t => t.Item2.ScheduledAt).Select(t => t.id);
        Assert.Equal(expected, executions.All.Select(e => e.TaskId));
    }
    [Fact]
    public async Task No_more_tasks_run_at_once_than_the_concurrency_allows()
    {
        var tenant = await fixture.ResetAsync();
        var ids = await fixture.EnqueueManyAsync(tenant, Enumerable.Range(0, 9).Select(_ => new TaskSpec(BlockingProcessor.TaskType, """{"ms":200}""")));

        await using var host = await TaskEngineHost.StartAsync(fixture, new ExecutionLog(),
            new Dictionary<string, string?> { ["Tasks:Concurrency"] = "3", ["Tasks:BatchSize"] = "2" });
        await Wait.UntilAsync(async () => await fixture.CountAsync(TaskItemStatus.Succeeded) == ids.Count, Timeout, "every task to run", () => host.Log.Tail(20));

        // An attempt holds its slot from the claim (started_at) until its result is written (ended_at); at the same
        // instant an end is counted before a start, since a slot is claimed again only after it was freed.
        var attempts = await fixture.AttemptsAsync(tenant);
        var running = 0;
        var most = 0;
        foreach (var (_, change) in attempts.SelectMany(a => new[] { (a.StartedAt, 1), (a.EndedAt!.Value, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2))
        {
            running += change;
            most = Math.Max(most, running);
        }
        Assert.Equal(3, most);
    }
}
