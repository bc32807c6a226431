using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>Failures end where the rules say: retried after a backoff, dead-lettered when attempts run out or retrying cannot help.</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class RetryAndDeadLetterTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ExecutionLog _executions = new();
    private TaskEngineHost _host = null!;
    private Guid _tenant;

    public async Task InitializeAsync()
    {
        _tenant = await fixture.ResetAsync();
        _host = await TaskEngineHost.StartAsync(fixture, _executions);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task UntilEndedAsync(Guid taskId) => Wait.UntilAsync(async () => (await fixture.TaskAsync(_tenant, taskId)).IsEnded, Timeout,
        $"task {taskId} to end", () => _host.Log.Tail(20));

    [Fact]
    public async Task A_task_that_keeps_failing_is_dead_lettered_after_its_max_attempts()
    {
        var id = await fixture.EnqueueAsync(_tenant, FailingProcessor.TaskType, """{"code":"boom"}""", maxAttempts: 2);

        await UntilEndedAsync(id);

        var task = await fixture.TaskAsync(_tenant, id);
        Assert.Equal((TaskItemStatus.DeadLetter, 2), (task.Status, task.AttemptCount));
        Assert.StartsWith("boom", task.LastError);
        var attempts = await fixture.AttemptsAsync(_tenant, id);
        Assert.Equal([(1, TaskAttemptStatus.Failed, "boom"), (2, TaskAttemptStatus.Failed, "boom")], attempts.Select(a => (a.AttemptNo, a.Status, a.ErrorCode!)));
        Assert.Equal([1, 2], _executions.Of(id).Select(e => e.Attempt));
        Assert.Equal(["TaskDeadLettered", "TaskFailed", "TaskFailed", "TaskQueued", "TaskQueued"], (await fixture.EventsAsync(_tenant, id)).Order());
    }

    [Fact]
    public async Task A_failure_that_retrying_cannot_fix_dead_letters_at_once()
    {
        var id = await fixture.EnqueueAsync(_tenant, FailingProcessor.TaskType, """{"code":"bad_input","retryable":false}""", maxAttempts: 3);

        await UntilEndedAsync(id);

        Assert.Equal((TaskItemStatus.DeadLetter, 1), ((await fixture.TaskAsync(_tenant, id)).Status, (await fixture.TaskAsync(_tenant, id)).AttemptCount));
        Assert.Equal("bad_input", Assert.Single(await fixture.AttemptsAsync(_tenant, id)).ErrorCode);
    }

    [Fact]
    public async Task A_task_of_a_type_no_processor_knows_is_dead_lettered_unrun()
    {
        var id = await fixture.EnqueueAsync(_tenant, "nobody.handles.this");

        await UntilEndedAsync(id);

        Assert.Equal(TaskItemStatus.DeadLetter, (await fixture.TaskAsync(_tenant, id)).Status);
        Assert.Equal(TaskEngineErrorCodes.UnknownTaskType, Assert.Single(await fixture.AttemptsAsync(_tenant, id)).ErrorCode);
    }

    [Fact]
    public async Task A_payload_the_processor_rejects_is_dead_lettered_unrun()
    {
        var id = await fixture.EnqueueAsync(_tenant, RecordingProcessor.TaskType, "[1, 2]");

        await UntilEndedAsync(id);

        var attempt = Assert.Single(await fixture.AttemptsAsync(_tenant, id));
        Assert.Equal((TaskEngineErrorCodes.InvalidPayload, "$: must be an object."), (attempt.ErrorCode, attempt.ErrorDetail));
        Assert.Empty(_executions.Of(id));
    }

    [Fact]
    public async Task A_retry_scheduled_in_the_future_runs_when_due_and_not_before()
    {
        var id = await fixture.EnqueueAsync(_tenant, FailingProcessor.TaskType, """{"failures":1,"retryAfterMs":1500}""");

        await UntilEndedAsync(id);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_tenant, id)).Status);
        var attempts = await fixture.AttemptsAsync(_tenant, id);
        Assert.Equal([TaskAttemptStatus.Failed, TaskAttemptStatus.Succeeded], attempts.Select(a => a.Status));
        // The provider asked for 1.5 s: the second attempt (found by the poll loop, no message wakes it then) starts no sooner.
        var waited = attempts[1].StartedAt - attempts[0].EndedAt!.Value;
        Assert.InRange(waited, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(6));
        Assert.Equal(["TaskFailed", "TaskQueued", "TaskQueued", "TaskSucceeded"], (await fixture.EventsAsync(_tenant, id)).Order());
    }
}
