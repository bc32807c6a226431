namespace SaasAssistants.MessageProcessor.Knowledge;

/// <summary>
/// The seam through which a reply gets the tenant's knowledge: the passages that best match the customer's words,
/// best first, each with its source so the answer can cite it. The knowledge-base work (Shared.Knowledge's hybrid
/// search) plugs in here by registering its own implementation (<see cref="KnowledgeBaseRetriever"/>); with no
/// passages, the built-in responder hands the conversation to the team instead of inventing an answer.
/// </summary>
public interface IKnowledgeRetriever
{
    /// <summary>Runs in the task's scope, its tenant set: row level security keeps another tenant's passages out.</summary>
    Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid assistantId, string query, int limit, CancellationToken cancellationToken);
}
