namespace SaasAssistants.MessageProcessor.Tasks.Processors;

/// <summary>A task names an assistant its tenant does not have (or that another tenant owns, which looks the same).</summary>
public sealed class AssistantNotFoundException(Guid assistantId)
    : Exception($"Assistant {assistantId} does not exist for this tenant.");
