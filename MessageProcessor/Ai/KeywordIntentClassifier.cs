namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// Finds the <see cref="CustomerIntent"/> of a message by keywords in pt-BR and English (accents removed).
/// The most actionable intent wins: asking for a person outranks a price question, which outranks small talk.
/// </summary>
public static class KeywordIntentClassifier
{
    // Greetings and thanks only count when they are most of the message; "oi, meu pedido não chegou" is a question.
    private const int MaxWordsForGreeting = 4;
    private const int MaxWordsForThanks = 8;

    private static readonly string[] HumanAgent =
    [
        "atendente", "humano", "humana", "pessoa", "gerente", "vendedor", "vendedora", "falar com alguem",
        "human", "agent", "person", "representative", "operator", "talk to someone", "speak to someone",
    ];

    private static readonly string[] Price =
    [
        "preco", "precos", "valor", "valores", "custa", "custam", "custo", "orcamento", "mensalidade", "quanto e", "quanto fica", "quanto sai",
        "price", "prices", "pricing", "cost", "costs", "fee", "fees", "quote", "how much",
    ];

    private static readonly string[] OpeningHours =
    [
        "horario", "horarios", "funcionamento", "expediente", "aberto", "aberta", "abre", "abrem", "fecha", "fecham", "que horas",
        "hours", "opening", "closing", "are you open", "open today", "open on", "open tomorrow", "what time", "when do you open", "when do you close",
    ];

    private static readonly string[] Thanks =
    [
        "obrigado", "obrigada", "obg", "valeu", "agradeco", "grato", "grata",
        "thanks", "thank you", "thx", "ty", "cheers",
    ];

    private static readonly string[] Greeting =
    [
        "oi", "ola", "opa", "e ai", "bom dia", "boa tarde", "boa noite",
        "hello", "hi", "hey", "hiya", "good morning", "good afternoon", "good evening",
    ];

    public static CustomerIntent Classify(KeywordText text)
    {
        if (text.ContainsAny(HumanAgent))
            return CustomerIntent.HumanAgent;
        if (text.ContainsAny(Price))
            return CustomerIntent.Price;
        if (text.ContainsAny(OpeningHours))
            return CustomerIntent.OpeningHours;
        if (text.Words.Count <= MaxWordsForThanks && text.ContainsAny(Thanks))
            return CustomerIntent.Thanks;
        if (text.Words.Count <= MaxWordsForGreeting && text.ContainsAny(Greeting))
            return CustomerIntent.Greeting;
        return CustomerIntent.Other;
    }
}
