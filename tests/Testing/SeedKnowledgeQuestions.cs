namespace SaasAssistants.Testing;

/// <summary>
/// The labelled questions over the development seed's knowledge base (opening hours, delivery, prices; each in pt-BR
/// and en): the quality test (SeedKnowledgeTests) and the quality benchmark (bench/KnowledgeSearch quality) ask the
/// same set, so the figure printed by the one is the figure checked by the other.
/// </summary>
public static class SeedKnowledgeQuestions
{
    /// <summary>Question, the topic of the document that answers it (hours, delivery, prices), and its language (pt, en).</summary>
    public static readonly IReadOnlyList<(string Question, string Topic, string Language)> Labelled =
    [
        ("Qual o horário de funcionamento da loja?", "hours", "pt"), ("Vocês abrem aos sábados?", "hours", "pt"),
        ("A loja abre no domingo?", "hours", "pt"), ("Até que horas vocês atendem no WhatsApp?", "hours", "pt"),
        ("Abrem em feriado?", "hours", "pt"), ("Que horas a loja fecha na sexta?", "hours", "pt"),
        ("What are your opening hours?", "hours", "en"), ("Are you open on Saturday?", "hours", "en"),
        ("Is the store open on Sundays?", "hours", "en"), ("Until what time does the website chat answer?", "hours", "en"),
        ("Are you closed on public holidays?", "hours", "en"),
        ("Quanto custa o frete?", "delivery", "pt"), ("O frete é grátis?", "delivery", "pt"),
        ("Em quantos dias chega meu pedido?", "delivery", "pt"), ("Vocês entregam em outras cidades?", "delivery", "pt"),
        ("Como rastreio meu pedido?", "delivery", "pt"), ("Entrega no mesmo dia?", "delivery", "pt"),
        ("How much is shipping?", "delivery", "en"), ("Is shipping free?", "delivery", "en"),
        ("How long does delivery take?", "delivery", "en"), ("Do you deliver to other cities?", "delivery", "en"),
        ("How do I track my order?", "delivery", "en"), ("Can I get same day delivery?", "delivery", "en"),
        ("Quanto custa o plano profissional?", "prices", "pt"), ("Quais formas de pagamento vocês aceitam?", "prices", "pt"),
        ("Posso pagar com boleto?", "prices", "pt"), ("Tem desconto no plano anual?", "prices", "pt"),
        ("Quantos usuários tem o plano básico?", "prices", "pt"),
        ("How much is the Enterprise plan?", "prices", "en"), ("Which payment methods do you accept?", "prices", "en"),
        ("Can I pay in instalments?", "prices", "en"), ("Is there a discount for yearly plans?", "prices", "en"),
        ("How many conversations does the Basic plan include?", "prices", "en"),
    ];

    /// <summary>The seed's documents: topic and language of each.</summary>
    public static readonly IReadOnlyDictionary<string, (string Topic, string Language)> Documents = new Dictionary<string, (string, string)>
    {
        ["horario-de-funcionamento.md"] = ("hours", "pt"), ["opening-hours.md"] = ("hours", "en"),
        ["entrega.md"] = ("delivery", "pt"), ["delivery.md"] = ("delivery", "en"),
        ["precos.md"] = ("prices", "pt"), ["prices.md"] = ("prices", "en"),
    };

    /// <summary>The 1-based rank of the first document of the question's topic among <paramref name="documentNames"/>, or null.</summary>
    public static int? RankOfTopic(IEnumerable<string> documentNames, string topic)
    {
        var rank = 0;
        foreach (var name in documentNames)
        {
            rank++;
            if (Documents.TryGetValue(name, out var document) && document.Topic == topic)
            {
                return rank;
            }
        }
        return null;
    }
}
