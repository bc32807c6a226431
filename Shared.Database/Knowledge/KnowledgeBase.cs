using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Knowledge;

/// <summary>A tenant's collection of documents that its assistants answer from.</summary>
public sealed class KnowledgeBase : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>The embedding model its chunks were embedded with; a different configured model re-embeds them.</summary>
    public required string EmbeddingModel { get; set; }

    public int EmbeddingDimensions { get; set; }

    /// <summary>Goes up whenever its chunks change; search caches key on it.</summary>
    public long ContentVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
