using System.Text.Json;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Runs one type of task. Registered with <see cref="TaskEngineExtensions.AddTaskProcessor{T}"/> as a singleton and
/// shared by every task of its type, so it keeps no per-task state; scoped services come from
/// <see cref="TaskExecution.Services"/>, the task's own scope with its tenant already set.
/// </summary>
public interface ITaskProcessor
{
    /// <summary>The task type this processor runs (tasks.type), e.g. "ai.generate".</summary>
    string Type { get; }

    /// <summary>What is wrong with a payload (empty when nothing is): a task that fails this is dead-lettered unrun.</summary>
    IReadOnlyList<TaskPayloadError> Validate(JsonElement payload);

    /// <summary>Does the work. Must stop promptly when the token fires: a cancel, a lost lease or shutdown.</summary>
    Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken);

    /// <summary>Turns what <see cref="ProcessAsync"/> threw into an error code and whether retrying can help.</summary>
    TaskFailure ClassifyFailure(Exception exception);
}
