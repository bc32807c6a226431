namespace SaasAssistants.Knowledge.Indexing;

/// <summary>What indexing a document produced.</summary>
public sealed record IndexedDocument(Guid DocumentId, int Chunks, int? Pages, string? Language, string EmbeddingModel);
