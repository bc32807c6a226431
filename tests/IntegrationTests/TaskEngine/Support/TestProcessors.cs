using System.Text.Json;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>
/// Processors that exist only for these tests, registered by <see cref="TaskEngineHost"/> (never by the product).
/// Each records its starts in the shared <see cref="ExecutionLog"/>; the payload says how it behaves.
/// </summary>
public abstract class TestProcessor(ExecutionLog log, WorkerIdentity worker) : ITaskProcessor
{
    public abstract string Type { get; }

    protected ExecutionLog Log { get; } = log;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object ? [] : [new TaskPayloadError("$", "must be an object.")];

    public Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        Log.Add(new Execution(context.TaskId, context.Type, context.Attempt, worker.Name, DateTimeOffset.UtcNow));
        return RunAsync(context, cancellationToken);
    }

    public TaskFailure ClassifyFailure(Exception exception) =>
        exception is ScriptedFailureException scripted ? scripted.Failure : TaskFailure.Unexpected(exception);

    protected abstract Task<TaskResult> RunAsync(TaskExecution context, CancellationToken cancellationToken);

    protected static int Int(TaskExecution context, string name, int fallback) =>
        context.Payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;
}

/// <summary><c>test.record</c>: succeeds at once with one text artifact.</summary>
public sealed class RecordingProcessor(ExecutionLog log, WorkerIdentity worker) : TestProcessor(log, worker)
{
    public const string TaskType = "test.record";

    public override string Type => TaskType;

    protected override Task<TaskResult> RunAsync(TaskExecution context, CancellationToken cancellationToken) =>
        Task.FromResult(new TaskResult([TaskOutput.Text($"done {context.TaskId}")]));
}

/// <summary><c>test.block</c>: runs for <c>ms</c> (default: until its token fires), noting when the token fired.</summary>
public sealed class BlockingProcessor(ExecutionLog log, WorkerIdentity worker) : TestProcessor(log, worker)
{
    public const string TaskType = "test.block";

    public override string Type => TaskType;

    protected override async Task<TaskResult> RunAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        using var _ = cancellationToken.Register(() => Log.Stopped(context.TaskId));
        await Task.Delay(Int(context, "ms", Timeout.Infinite), cancellationToken);
        return TaskResult.Empty;
    }
}

/// <summary>
/// <c>test.fail</c>: fails its first <c>failures</c> attempts (default: all) with <c>code</c>, retryable unless
/// <c>retryable</c> is false, asking to wait <c>retryAfterMs</c>; then succeeds.
/// </summary>
public sealed class FailingProcessor(ExecutionLog log, WorkerIdentity worker) : TestProcessor(log, worker)
{
    public const string TaskType = "test.fail";

    public override string Type => TaskType;

    protected override Task<TaskResult> RunAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        if (context.Attempt > Int(context, "failures", int.MaxValue))
        {
            return Task.FromResult(TaskResult.Empty);
        }

        var payload = context.Payload;
        var retryAfter = Int(context, "retryAfterMs", -1);
        throw new ScriptedFailureException(new TaskFailure(
            payload.TryGetProperty("code", out var code) ? code.GetString()! : "scripted_failure",
            !payload.TryGetProperty("retryable", out var retryable) || retryable.GetBoolean(),
            $"attempt {context.Attempt} failed as scripted",
            retryAfter < 0 ? null : TimeSpan.FromMilliseconds(retryAfter)));
    }
}

public sealed class ScriptedFailureException(TaskFailure failure) : Exception(failure.Detail)
{
    public TaskFailure Failure { get; } = failure;
}
