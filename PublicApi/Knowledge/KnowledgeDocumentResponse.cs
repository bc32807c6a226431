using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>
/// A document and where its indexing stands: <c>status</c> is queued, indexing, indexed or failed (then <c>error</c>
/// says why); <c>progress</c> moves while it is indexed.
/// </summary>
public sealed record KnowledgeDocumentResponse(
    Guid Id, Guid KnowledgeBaseId, string Name, string Format, string? SourceUrl, long SizeBytes, string Checksum, string? Language,
    string Status, string? Error, int ChunkCount, IndexingProgress Progress, Guid? IndexTaskId, DateTimeOffset? IndexedAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The columns a response needs (not the document's bytes), for queries to project onto.</summary>
    public static KnowledgeDocumentResponse From(KnowledgeDocumentRow d) => new(
        d.Id, d.KnowledgeBaseId, d.Name, d.Format.ToString().ToLowerInvariant(), d.SourceUrl, d.SizeBytes, d.Checksum, d.Language,
        d.Status.ToString().ToLowerInvariant(), d.Error, d.ChunkCount,
        new IndexingProgress(d.PagesTotal, d.PagesDone, d.ChunksTotal, d.ChunksDone, d.ProgressPercent),
        d.IndexTaskId, d.IndexedAt, d.CreatedAt, d.UpdatedAt);
}

/// <summary>Pages read and chunks embedded so far, out of how many (null until known), and the percent done.</summary>
public sealed record IndexingProgress(int? PagesTotal, int PagesDone, int? ChunksTotal, int ChunksDone, int Percent);

/// <summary>A document row without its content.</summary>
public sealed record KnowledgeDocumentRow(
    Guid Id, Guid KnowledgeBaseId, string Name, KnowledgeDocumentFormat Format, string? SourceUrl, long SizeBytes, string Checksum,
    string? Language, KnowledgeDocumentStatus Status, string? Error, int ChunkCount, int? PagesTotal, int PagesDone, int? ChunksTotal,
    int ChunksDone, int ProgressPercent, Guid? IndexTaskId, DateTimeOffset? IndexedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
