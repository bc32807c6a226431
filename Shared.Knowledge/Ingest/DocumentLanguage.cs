namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// Portuguese or English from common words, to pick the full-text configuration (stemming, stop words). Text that is
/// clearly neither gets the language-neutral "simple" configuration.
/// </summary>
public static class DocumentLanguage
{
    private static readonly HashSet<string> Portuguese = new(StringComparer.Ordinal)
    {
        "de", "que", "não", "nao", "uma", "um", "para", "com", "os", "as", "do", "da", "dos", "das", "em", "no", "na", "por",
        "mais", "se", "ao", "é", "são", "nosso", "nossa", "você", "voce", "até", "também", "pelo", "pela", "horário", "entrega",
    };

    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "the", "and", "of", "to", "is", "are", "for", "with", "you", "your", "our", "we", "on", "in", "at", "by", "from",
        "this", "that", "it", "be", "or", "an", "will", "can", "hours", "delivery", "open",
    };

    /// <summary>"pt", "en" or null when the text does not say.</summary>
    public static string? Detect(string text)
    {
        int pt = 0, en = 0, words = 0;
        foreach (var word in text.Split((char[])[' ', '\n', '\t', '.', ',', ';', ':', '!', '?', '(', ')', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (++words > 2000)
            {
                break;
            }

            var lower = word.ToLowerInvariant();
            if (Portuguese.Contains(lower))
            {
                pt++;
            }

            if (English.Contains(lower))
            {
                en++;
            }
        }
        if (pt + en < 2)
        {
            return null;
        }

        return pt > en ? "pt" : en > pt ? "en" : null;
    }

    /// <summary>The PostgreSQL text search configuration for a document language.</summary>
    public static string FtsConfig(string? language) => language switch
    {
        "pt" => "portuguese",
        "en" => "english",
        _ => "simple",
    };
}
