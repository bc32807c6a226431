using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Knowledge;

/// <summary>An assistant answers from this knowledge base.</summary>
public sealed class AssistantKnowledgeBase : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid AssistantId { get; set; }
    public Guid KnowledgeBaseId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
