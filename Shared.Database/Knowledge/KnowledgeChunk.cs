using Pgvector;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Knowledge;

/// <summary>A passage of a document with where it came from (heading path, page) and its embedding.</summary>
public sealed class KnowledgeChunk : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid KnowledgeBaseId { get; set; }
    public Guid DocumentId { get; set; }

    /// <summary>Position in the document, from 0.</summary>
    public int Ordinal { get; set; }

    /// <summary>The headings above the passage, outermost first, joined with " > "; empty when there are none.</summary>
    public string HeadingPath { get; set; } = "";

    public int? Page { get; set; }
    public required string Content { get; set; }
    public int TokenCount { get; set; }

    /// <summary>portuguese, english or simple: the full-text configuration of the generated search_vector.</summary>
    public required string FtsConfig { get; set; }

    public required Vector Embedding { get; set; }
    public required string EmbeddingModel { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
