using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>The rescuer on tasks whose worker vanished, driven by hand (the hosts are built, not started, so no worker claims).</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class LeaseRescuerTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>
{
    /// <summary>Makes queued tasks look claimed (attempt 1) by a worker that died a minute ago; half of them got to write their attempt row.</summary>
    private async Task<IReadOnlyList<Guid>> AbandonAsync(Guid tenant, int count, int maxAttempts)
    {
        var ids = await fixture.EnqueueManyAsync(tenant, Enumerable.Range(0, count).Select(_ => new TaskSpec(RecordingProcessor.TaskType, MaxAttempts: maxAttempts)));
        await fixture.OwnerExecuteAsync($"""
            UPDATE tasks SET status = 'Running', locked_by = 'dead-worker', attempt_count = 1,
                locked_until = now() - interval '1 minute', started_at = now() - interval '2 minutes';
            INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, started_at, status, worker)
                SELECT gen_random_uuid(), tenant_id, id, attempt_count, now() - interval '2 minutes', 'Running', 'dead-worker'
                FROM tasks WHERE id IN ({string.Join(',', ids.Where((_, i) => i % 2 == 0).Select(id => $"'{id}'"))});
            """);
        return ids;
    }

    [Fact]
    public async Task Two_rescuers_racing_rescue_each_task_once()
    {
        var tenant = await fixture.ResetAsync();
        var ids = await AbandonAsync(tenant, 40, maxAttempts: 3);
        var executions = new ExecutionLog();
        await using var first = TaskEngineHost.Build(fixture, executions);
        await using var second = TaskEngineHost.Build(fixture, executions);
        LeaseRescuer[] rescuers = [first.Services.GetRequiredService<LeaseRescuer>(), second.Services.GetRequiredService<LeaseRescuer>()];

        var rescued = await Task.WhenAll(rescuers.Select(r => Task.Run(() => r.RescueExpiredAsync(CancellationToken.None))));

        Assert.Equal(ids.Count, rescued.Sum());
        var tasks = await fixture.TasksAsync(tenant);
        Assert.All(tasks, t => Assert.Equal((TaskItemStatus.Queued, 1, null), (t.Status, t.AttemptCount, t.LockedBy)));
        var attempts = await fixture.AttemptsAsync(tenant);
        Assert.Equal(ids.Order(), attempts.Select(a => a.TaskId).Order());
        Assert.All(attempts, a => Assert.Equal((1, TaskAttemptStatus.Failed, TaskErrorCodes.LeaseExpired, "dead-worker"), (a.AttemptNo, a.Status, a.ErrorCode, a.Worker)));
        foreach (var id in ids)
        {
            Assert.Equal(["TaskFailed", "TaskQueued", "TaskQueued"], (await fixture.EventsAsync(tenant, id)).Order());
        }

        Assert.Equal(0, await rescuers[0].RescueExpiredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_expired_lease_on_the_last_attempt_dead_letters_the_task()
    {
        var tenant = await fixture.ResetAsync();
        var id = (await AbandonAsync(tenant, 1, maxAttempts: 1))[0];
        await using var host = TaskEngineHost.Build(fixture, new ExecutionLog());

        Assert.Equal(1, await host.Services.GetRequiredService<LeaseRescuer>().RescueExpiredAsync(CancellationToken.None));

        var task = await fixture.TaskAsync(tenant, id);
        Assert.Equal(TaskItemStatus.DeadLetter, task.Status);
        Assert.StartsWith(TaskErrorCodes.LeaseExpired, task.LastError);
    }

    [Fact]
    public async Task A_lease_renewed_in_time_is_left_alone()
    {
        var tenant = await fixture.ResetAsync();
        var id = (await AbandonAsync(tenant, 1, maxAttempts: 3))[0];
        await fixture.OwnerExecuteAsync($"UPDATE tasks SET locked_until = now() + interval '1 minute' WHERE id = '{id}'");
        await using var host = TaskEngineHost.Build(fixture, new ExecutionLog());

        Assert.Equal(0, await host.Services.GetRequiredService<LeaseRescuer>().RescueExpiredAsync(CancellationToken.None));

        Assert.Equal(TaskItemStatus.Running, (await fixture.TaskAsync(tenant, id)).Status);
    }
}
