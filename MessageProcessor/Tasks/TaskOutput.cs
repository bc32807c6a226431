using SaasAssistants.Database.Tasks;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// An artifact as a processor describes it; the engine stores it as a <see cref="TaskArtifact"/> with the task's ids
/// and the time of the attempt's commit, in the same transaction that ends the task.
/// </summary>
public sealed record TaskOutput(TaskArtifactKind Kind, string Value)
{
    public static TaskOutput Text(string content) => new(TaskArtifactKind.Text, content);

    public static TaskOutput Json(string json) => new(TaskArtifactKind.Json, json);

    public static TaskOutput File(string uri) => new(TaskArtifactKind.File, uri);

    public static TaskOutput Link(string uri) => new(TaskArtifactKind.Link, uri);

    public TaskArtifact ToArtifact(Guid tenantId, Guid taskId, DateTimeOffset at) => Kind switch
    {
        TaskArtifactKind.Text => TaskArtifact.Text(tenantId, taskId, Value, at),
        TaskArtifactKind.Json => TaskArtifact.Json(tenantId, taskId, Value, at),
        TaskArtifactKind.File => TaskArtifact.File(tenantId, taskId, Value, at),
        TaskArtifactKind.Link => TaskArtifact.Link(tenantId, taskId, Value, at),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}
