namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>A knowledge base: its embedding model, how many documents it holds, and the assistants that answer from it.</summary>
public sealed record KnowledgeBaseResponse(
    Guid Id, string Name, string? Description, string EmbeddingModel, int EmbeddingDimensions, int DocumentCount,
    IReadOnlyList<Guid> AssistantIds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
