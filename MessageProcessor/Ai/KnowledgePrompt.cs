using System.Text;
using Microsoft.Extensions.AI;
using SaasAssistants.Knowledge.Search;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// How retrieved passages reach any <see cref="IChatClient"/>: as a system message listing them with numbered sources
/// (for a real model, which can quote and cite them), and in the options (for the local responder, which answers
/// extractively from them).
/// </summary>
public static class KnowledgePrompt
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> holding the passages, best first.</summary>
    public const string PassagesProperty = "saas.knowledge.passages";

    /// <summary>Adds the passages after the assistant's system prompt; nothing when there are none.</summary>
    public static void Add(List<ChatMessage> messages, ChatOptions options, IReadOnlyList<KnowledgePassage> passages)
    {
        if (passages.Count == 0)
            return;
        var text = new StringBuilder("Answer from these passages of the company's knowledge base when they answer the question, ")
            .Append("and cite their numbers in brackets, e.g. [1]. When they do not, do not make an answer up.\n");
        for (var i = 0; i < passages.Count; i++)
            text.Append('\n').Append('[').Append(i + 1).Append("] ").Append(passages[i].Source).Append('\n').Append(passages[i].Text).Append('\n');
        var at = messages.Count > 0 && messages[0].Role == ChatRole.System ? 1 : 0;
        messages.Insert(at, new ChatMessage(ChatRole.System, text.ToString()));
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[PassagesProperty] = passages;
    }

    public static IReadOnlyList<KnowledgePassage> From(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PassagesProperty, out var value) == true && value is IReadOnlyList<KnowledgePassage> passages
            ? passages
            : [];
}
