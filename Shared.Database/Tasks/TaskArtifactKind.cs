namespace SaasAssistants.Database.Tasks;

/// <summary>Stored in lower case (task_artifacts.kind). Text and Json carry content; File and Link carry a uri.</summary>
public enum TaskArtifactKind
{
    Text,
    Json,
    File,
    Link,
}
