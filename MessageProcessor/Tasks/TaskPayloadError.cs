namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>One thing wrong with a task's payload: the field (a JSON property name) and why.</summary>
public sealed record TaskPayloadError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
