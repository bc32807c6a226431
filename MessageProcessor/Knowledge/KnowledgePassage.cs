namespace SaasAssistants.MessageProcessor.Knowledge;

/// <summary>
/// One retrieved passage: its text, where it came from, the search's relevance (higher is better) and its
/// document's language (pt, en, or null when unknown).
/// </summary>
public sealed record KnowledgePassage(string Text, KnowledgeSource Source, double Score, string? Language = null);
