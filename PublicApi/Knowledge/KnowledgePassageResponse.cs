namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>
/// A passage found by a search: its text, its score (0..1, reciprocal rank fusion of meaning and words) and its source
/// (document, heading path, page).
/// </summary>
public sealed record KnowledgePassageResponse(string Text, double Score, double? Similarity, PassageSource Source);

/// <summary>Where a passage comes from; <c>citation</c> is the same as one line of text.</summary>
public sealed record PassageSource(Guid DocumentId, string DocumentName, string? Url, string HeadingPath, int? Page, Guid ChunkId, string Citation);
