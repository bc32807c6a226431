namespace SaasAssistants.Knowledge.Search;

/// <summary>
/// A search: the text, and where to look (the named knowledge bases, or those attached to an assistant). Limit and
/// threshold default to <c>Knowledge:Search</c>.
/// </summary>
public sealed record KnowledgeQuery(string Text, IReadOnlyList<Guid>? KnowledgeBaseIds = null, Guid? AssistantId = null, int? Limit = null, double? MinScore = null);
