using System.Text.Json;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.Database.Knowledge;

/// <summary>The <c>knowledge.index</c> task: <c>{"documentId": "..."}</c>; reads, chunks, embeds and stores one document.</summary>
public static class KnowledgeIndexTask
{
    public const string Type = "knowledge.index";

    /// <summary>A queued index task for a document (the caller adds it and its events to the same SaveChanges).</summary>
    public static TaskItem Create(Guid tenantId, Guid documentId, DateTimeOffset at, string? correlationId = null)
    {
        var task = TaskItem.Create(tenantId, Type, JsonSerializer.Serialize(new { documentId }), at,
            domainType: DomainType.DocumentProcessing, capabilityType: CapabilityType.Embedding_Search, executionType: ExecutionType.Async,
            correlationId: correlationId);
        task.Enqueue(at);
        return task;
    }
}
