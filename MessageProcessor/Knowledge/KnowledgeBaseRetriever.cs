using SaasAssistants.Knowledge.Search;

namespace SaasAssistants.MessageProcessor.Knowledge;

/// <summary>
/// The reply's knowledge from the assistant's knowledge bases (Shared.Knowledge's hybrid search, cached in Redis),
/// with each passage's source (document, heading path, page, address) so the answer can cite it.
/// A failed search gives no passages rather than a failed reply: the built-in responder then hands over honestly.
/// </summary>
public sealed class KnowledgeBaseRetriever(IKnowledgeSearch search, ILogger<KnowledgeBaseRetriever> logger) : IKnowledgeRetriever
{
    public async Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid assistantId, string query, int limit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }
        try
        {
            var passages = await search.SearchAsync(new KnowledgeQuery(query, AssistantId: assistantId, Limit: limit), cancellationToken);
            return passages.Select(p => new KnowledgePassage(p.Text, new KnowledgeSource(p.DocumentName, p.HeadingPath, p.Page, p.SourceUrl), p.Score, p.Language))
                .ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Knowledge search failed for assistant {AssistantId}; replying without it", assistantId);
            return [];
        }
    }
}
