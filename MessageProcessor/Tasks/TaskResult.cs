namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>What a successful attempt produced and, when it called a model, what that cost.</summary>
public sealed record TaskResult(IReadOnlyList<TaskOutput> Artifacts, TaskUsage? Usage = null)
{
    public static TaskResult Empty { get; } = new([]);
}
