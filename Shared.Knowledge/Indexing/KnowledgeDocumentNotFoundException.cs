namespace SaasAssistants.Knowledge.Indexing;

/// <summary>The document to index does not exist for this tenant (deleted after its task was queued, or another tenant's).</summary>
public sealed class KnowledgeDocumentNotFoundException(Guid documentId)
    : Exception($"Knowledge document {documentId} does not exist for this tenant.");
