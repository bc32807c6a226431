namespace SaasAssistants.Knowledge.Search;

/// <summary>Finds the passages of a tenant's knowledge that answer a question; what the conversation engine calls.</summary>
public interface IKnowledgeSearch
{
    /// <summary>Best first; empty when nothing passes the threshold or there is nothing to search.</summary>
    Task<IReadOnlyList<KnowledgePassage>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken);
}
