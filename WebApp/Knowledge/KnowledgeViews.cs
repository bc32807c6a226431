namespace SaasAssistants.WebApp.Knowledge;

public sealed record KnowledgeBaseView(Guid Id, string Name, string? Description, int Documents, DateTimeOffset UpdatedAt);

/// <summary>A document's indexing state, as the page shows it and its script polls it.</summary>
public sealed record KnowledgeDocumentView(Guid Id, string Name, string? SourceUrl, string Status, int ProgressPercent, string? Error, int ChunkCount,
    long SizeBytes, DateTimeOffset UpdatedAt);
