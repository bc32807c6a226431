using System.Globalization;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// Guesses whether a customer writes Portuguese or English from common words, so the local responder answers in
/// kind. When nothing decides it, pt-BR wins: most tenants are Brazilian businesses.
/// </summary>
public static class MessageLanguage
{
    public static readonly CultureInfo Portuguese = CultureInfo.GetCultureInfo("pt-BR");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    // Words frequent in one language and absent from the other ("a", "do", "me" are in both, so not here).
    private static readonly HashSet<string> PortugueseWords =
    [
        "oi", "ola", "obrigado", "obrigada", "valeu", "voce", "voces", "quanto", "quanta", "qual", "quais", "quando", "onde",
        "como", "horario", "preco", "valor", "atendente", "bom", "boa", "dia", "tarde", "noite", "favor", "quero", "gostaria",
        "pode", "poderia", "nao", "sim", "tem", "esta", "sao", "uma", "um", "meu", "minha", "seu", "sua", "para", "com", "sobre",
        "preciso", "ajuda", "hoje", "amanha", "custa", "tudo", "bem", "pedido", "de", "que", "vcs", "vc",
    ];

    private static readonly HashSet<string> EnglishWords =
    [
        "hi", "hello", "hey", "thanks", "thank", "you", "your", "what", "when", "where", "how", "which", "is", "are", "the",
        "can", "could", "would", "please", "want", "need", "help", "hours", "price", "cost", "open", "close", "today",
        "tomorrow", "my", "i", "much", "does", "have", "order", "of", "with", "and", "there",
    ];

    /// <summary>Decides on the newest message that has a clear language; <paramref name="newestFirst"/> are the customer's texts.</summary>
    public static CultureInfo Detect(IEnumerable<KeywordText> newestFirst)
    {
        foreach (var text in newestFirst)
        {
            var portuguese = text.CountWords(PortugueseWords) + (text.HasPortugueseLetters ? 2 : 0);
            var english = text.CountWords(EnglishWords);
            if (portuguese != english)
            {
                return english > portuguese ? English : Portuguese;
            }
        }
        return Portuguese;
    }
}
