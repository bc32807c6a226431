using System.Globalization;
using System.Text;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// A message reduced to lowercase words without accents, so "Horário", "horario" and "HORÁRIO" match one keyword
/// (customers type accents inconsistently, especially on phones).
/// </summary>
public sealed class KeywordText
{
    private readonly string _padded;

    private KeywordText(string[] words, bool hasPortugueseLetters)
    {
        Words = words;
        HasPortugueseLetters = hasPortugueseLetters;
        _padded = $" {string.Join(' ', words)} ";
    }

    public IReadOnlyList<string> Words { get; }

    /// <summary>Letters such as ã, ç or é, which English text does not use.</summary>
    public bool HasPortugueseLetters { get; }

    public static KeywordText Parse(string? text)
    {
        var lower = (text ?? string.Empty).ToLowerInvariant();
        var hasPortugueseLetters = lower.AsSpan().IndexOfAny("ãõçáéíóúâêô") >= 0;
        var stripped = new StringBuilder(lower.Length);
        foreach (var c in lower.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                stripped.Append(char.IsLetterOrDigit(c) ? c : ' ');
            }
        }
        var words = stripped.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new KeywordText(words, hasPortugueseLetters);
    }

    /// <summary>True when any keyword (a word, or several words in order) appears as whole words.</summary>
    public bool ContainsAny(IEnumerable<string> keywords) => keywords.Any(k => _padded.Contains($" {k} ", StringComparison.Ordinal));

    public int CountWords(IReadOnlySet<string> vocabulary) => Words.Count(vocabulary.Contains);
}
