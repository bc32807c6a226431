namespace SaasAssistants.Knowledge.Search;

/// <summary>
/// A passage found by a search, with its source so a reply can cite it. <see cref="Score"/> is the fused score
/// normalised to 0..1 (1: first by meaning and by words); <see cref="Similarity"/> is the cosine similarity when the
/// passage was a vector candidate. <see cref="Language"/> is its document's (pt, en or null).
/// </summary>
public sealed record KnowledgePassage(
    Guid ChunkId, Guid DocumentId, Guid KnowledgeBaseId, string DocumentName, string? SourceUrl, string HeadingPath, int? Page,
    string Text, double Score, double? Similarity, string? Language = null)
{
    /// <summary>How the source reads in a citation: "prices.md › Delivery (p. 2)".</summary>
    public string Source =>
        DocumentName + (HeadingPath.Length > 0 ? $" › {HeadingPath}" : "") + (Page is { } page ? $" (p. {page})" : "");
}
