using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>The TaskQueued message wakes an idle worker at once; the poll is only the safety net.</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class WakeUpTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>
{
    [Fact]
    public async Task A_new_task_is_run_at_once_through_the_bus_without_waiting_for_the_poll()
    {
        var tenant = await fixture.ResetAsync();
        var executions = new ExecutionLog();
        // A poll this slow would fail the test: only the TaskQueued message can start the task in time.
        await using var host = await TaskEngineHost.StartAsync(fixture, executions, new Dictionary<string, string?> { ["Tasks:PollInterval"] = "00:05:00" });
        await fixture.Messaging.WaitForConsumerAsync(TaskEngineExtensions.TaskQueuedQueue, TimeSpan.FromSeconds(30));
        // After a first task, the worker claims once more, finds nothing and sleeps: from then on only a wake-up starts work.
        var first = await fixture.EnqueueAsync(tenant, RecordingProcessor.TaskType);
        await Wait.UntilAsync(() => fixture.StatusIsAsync(tenant, first, TaskItemStatus.Succeeded), TimeSpan.FromSeconds(20), "the first task", () => host.Log.Tail(20));

        var id = await fixture.EnqueueAsync(tenant, RecordingProcessor.TaskType);

        await Wait.UntilAsync(() => fixture.StatusIsAsync(tenant, id, TaskItemStatus.Succeeded), TimeSpan.FromSeconds(20), "the woken worker", () => host.Log.Tail(20));
    }
}
