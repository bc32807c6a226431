using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Knowledge;

/// <summary>
/// One uploaded file or fetched web page and where its indexing stands. The original bytes stay in
/// <see cref="Content"/> so it can be indexed again; queries that list documents project past it.
/// </summary>
public sealed class KnowledgeDocument : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid KnowledgeBaseId { get; set; }
    public required string Name { get; set; }
    public KnowledgeDocumentFormat Format { get; set; }
    public string? SourceUrl { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>SHA-256 of the content, hex: the same bytes again in the same knowledge base are a duplicate.</summary>
    public required string Checksum { get; set; }

    public required byte[] Content { get; set; }

    /// <summary>pt or en; null until detected. Picks the full-text configuration of the chunks.</summary>
    public string? Language { get; set; }

    public KnowledgeDocumentStatus Status { get; set; }
    public string? Error { get; set; }
    public int? PagesTotal { get; set; }
    public int PagesDone { get; set; }
    public int? ChunksTotal { get; set; }
    public int ChunksDone { get; set; }
    public int ProgressPercent { get; set; }
    public int ChunkCount { get; set; }
    public Guid? IndexTaskId { get; set; }
    public DateTimeOffset? IndexedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
