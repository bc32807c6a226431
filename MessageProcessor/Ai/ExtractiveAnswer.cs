using System.Globalization;
using System.Text.RegularExpressions;
using SaasAssistants.Knowledge.Search;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// The local responder's way of answering from knowledge without a model: among the best passages, the one that shares
/// the most words with the question (preferring the customer's language), and in it the one or two sentences that share
/// the most. Words are compared by their first five letters without accents, a crude stemmer that serves Portuguese and
/// English alike ("entregas"/"entrega", "delivered"/"delivery"). No shared word: no answer, and the responder falls
/// back to its usual replies rather than quoting something unrelated.
/// </summary>
public static partial class ExtractiveAnswer
{
    private const int PassagesConsidered = 3;
    private const int StemLength = 5;

    // Words that say nothing about the subject, in both languages.
    private static readonly HashSet<string> StopWords =
    [
        "the", "and", "for", "you", "your", "are", "what", "when", "where", "which", "how", "does", "can", "could", "with", "there",
        "que", "qual", "quais", "quando", "onde", "como", "para", "com", "voce", "voces", "vcs", "uma", "tem", "esta", "sao", "pelo",
        "pela", "dos", "das", "nos", "nas", "meu", "minha", "seu", "sua", "qual", "isso", "este", "essa", "esse", "quero", "gostaria",
    ];

    public sealed record Answer(string Text, string Source);

    public static Answer? From(IReadOnlyList<KnowledgePassage> passages, KeywordText question, CultureInfo culture)
    {
        var terms = Stems(question.Words);
        if (terms.Count == 0 || passages.Count == 0)
            return null;
        var language = culture.TwoLetterISOLanguageName;
        var best = passages.Take(PassagesConsidered)
            .Select((passage, rank) => (Passage: passage, Rank: rank, Shared: Shared(terms, passage.HeadingPath + " " + passage.Text)))
            .Where(c => c.Shared > 0)
            .OrderByDescending(c => c.Passage.Language == language)
            .ThenByDescending(c => c.Shared)
            .ThenBy(c => c.Rank)
            .FirstOrDefault();
        if (best.Passage is null)
            return null;

        var sentences = SentenceEnd().Split(best.Passage.Text).Select(s => s.Trim().TrimStart('-', ' ')).Where(s => s.Length > 0).ToList();
        var chosen = sentences
            .Select((sentence, index) => (Sentence: sentence, Index: index, Shared: Shared(terms, sentence)))
            .OrderByDescending(s => s.Shared).ThenBy(s => s.Index)
            .Take(2)
            .Where((s, i) => i == 0 || s.Shared > 0)
            .OrderBy(s => s.Index)
            .Select(s => s.Sentence);
        return new Answer(string.Join(" ", chosen), best.Passage.Source);
    }

    private static HashSet<string> Stems(IEnumerable<string> words) =>
        words.Where(w => w.Length >= 3 && !StopWords.Contains(w)).Select(w => w.Length > StemLength ? w[..StemLength] : w).ToHashSet(StringComparer.Ordinal);

    private static int Shared(HashSet<string> terms, string text) => Stems(KeywordText.Parse(text).Words).Count(terms.Contains);

    [GeneratedRegex(@"(?<=[.!?])\s+|\n")]
    private static partial Regex SentenceEnd();
}
