using System.Text.Json;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>Does nothing and succeeds at once, so what is measured is the engine's own cost per task.</summary>
public sealed class NoopProcessor : ITaskProcessor
{
    public const string TaskType = "noop";

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => [];

    public Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken) => Task.FromResult(TaskResult.Empty);

    public TaskFailure ClassifyFailure(Exception exception) => TaskFailure.Unexpected(exception);
}
