namespace SaasAssistants.MessageProcessor.Knowledge;

/// <summary>The default until a knowledge base is wired in: nothing is known, so nothing is made up.</summary>
public sealed class NoKnowledgeRetriever : IKnowledgeRetriever
{
    public Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid assistantId, string query, int limit, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<KnowledgePassage>>([]);
}
