namespace SaasAssistants.Database.Knowledge;

/// <summary>Where a document is in indexing; stored and shown in lower case (queued, indexing, indexed, failed).</summary>
public enum KnowledgeDocumentStatus
{
    Queued,
    Indexing,
    Indexed,
    Failed,
}
