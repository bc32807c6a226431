using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Context;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.MessageProcessor;

/// <summary>The built-in responder: extractive answers from knowledge with their source, in the customer's language, and honest handoffs.</summary>
public class LocalResponderChatClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private const string HoursPt = "Abrimos de segunda a sábado, das 7h às 19h. Aos domingos, das 8h às 13h.";
    private const string HoursEn = "We open Monday to Saturday, 7 am to 7 pm. On Sundays, 8 am to 1 pm.";
    private const string Delivery = "Entregamos em todo o centro da cidade; a taxa de entrega é R$ 8.";
    private static readonly KnowledgePassage[] Knowledge =
    [
        new(HoursPt, new KnowledgeSource("horario.md", "Horário"), 0.9, "pt"),
        new(HoursEn, new KnowledgeSource("hours.md", "Opening hours"), 0.8, "en"),
        new(Delivery, new KnowledgeSource("entrega.pdf", "Entrega > Taxa", Page: 2), 0.5, "pt"),
    ];

    private const string HoursPtAnswer = HoursPt + " (Fonte: horario.md › Horário)";
    private const string HoursEnAnswer = HoursEn + " (Source: hours.md › Opening hours)";

    private readonly LocalResponderChatClient _client = new(new ManualTimeProvider(Now));

    private static List<ChatMessage> Conversation(params string[] turns)
    {
        // Turns alternate customer, assistant, customer...: the last one is always the customer's.
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are the assistant of a bakery.") };
        messages.AddRange(turns.Select((text, i) => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, text)));
        return messages;
    }

    private Task<ChatResponse> RespondAsync(string? greeting, bool greetingShown, IReadOnlyList<KnowledgePassage> knowledge, params string[] turns)
        => _client.GetResponseAsync(Conversation(turns), AssistantPrompt.BuildOptions(greeting, greetingShown, knowledge, model: null, maxOutputTokens: null));

    [Fact]
    public async Task It_answers_with_the_passage_that_matches_in_the_customers_language_and_cites_its_source()
    {
        // The widget showed the greeting: the reply is the passage and its source.
        Assert.Equal(HoursPtAnswer, (await RespondAsync("Oi!", true, Knowledge, "Qual o horário de domingo? Vocês abrem?")).Text);
        Assert.Equal(HoursEnAnswer, (await RespondAsync("Oi!", true, Knowledge, "What time do you open on Sundays?")).Text);
        Assert.Equal(Delivery + " (Fonte: entrega.pdf › Entrega > Taxa (p. 2))", (await RespondAsync("Oi!", true, Knowledge, "Vocês fazem entrega no centro?")).Text);
    }

    [Fact]
    public async Task The_document_language_decides_a_tie_even_when_the_passage_words_do_not()
    {
        // Both passages say "pizza" and "Margherita"; only the knowledge base knows which document is in English.
        KnowledgePassage[] knowledge =
        [
            new("Pizza Margherita R$ 45", new KnowledgeSource("cardapio.md"), 0.9, "pt"),
            new("Pizza Margherita R$ 45 (large)", new KnowledgeSource("menu.md"), 0.8, "en"),
        ];

        Assert.Equal("Pizza Margherita R$ 45 (large) (Source: menu.md)", (await RespondAsync("Oi!", true, knowledge, "How much is the pizza Margherita?")).Text);
        Assert.Equal("Pizza Margherita R$ 45 (Fonte: cardapio.md)", (await RespondAsync("Oi!", true, knowledge, "Quanto custa a pizza Margherita?")).Text);
    }

    [Fact]
    public async Task A_first_reply_greets_unless_the_channel_showed_the_greeting()
    {
        Assert.Equal($"Olá! Aqui é a Padaria. {HoursPtAnswer}", (await RespondAsync("Olá! Aqui é a Padaria.", false, Knowledge, "Qual o horário de domingo?")).Text);
        Assert.Equal(HoursPtAnswer, (await RespondAsync("Olá! Aqui é a Padaria.", true, Knowledge, "Qual o horário de domingo?")).Text);
        Assert.Equal(HoursPtAnswer, (await RespondAsync("Olá!", false, Knowledge, "Oi", "Olá! Como posso ajudar?", "Qual o horário de domingo?")).Text);
    }

    [Theory]
    [InlineData("Vocês consertam bicicletas?")]
    [InlineData("Do you repair bikes?")]
    public async Task Without_matching_knowledge_it_calls_the_handoff_tool_instead_of_making_something_up(string question)
    {
        var response = await RespondAsync(null, true, Knowledge, question);

        Assert.Equal(HandoffTool.NoKnowledge, HandoffTool.RequestedIn(response));
        Assert.Equal(string.Empty, response.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData("Quero falar com um atendente")]
    [InlineData("Can I talk to a real person?")]
    public async Task A_customer_asking_for_a_person_gets_the_handoff_tool_even_when_knowledge_matches(string question)
        => Assert.Equal(HandoffTool.CustomerAsked, HandoffTool.RequestedIn(await RespondAsync(null, true, Knowledge, question)));

    [Fact]
    public async Task The_whole_burst_is_read_not_only_its_last_message()
    {
        List<ChatMessage> burst =
        [
            new(ChatRole.System, "You are the assistant of a bakery."),
            new(ChatRole.User, "Hello, what time do you open on Sundays?"),
            new(ChatRole.User, "thanks"),
        ];

        var response = await _client.GetResponseAsync(burst, AssistantPrompt.BuildOptions("Hi!", true, Knowledge, model: null, maxOutputTokens: null));

        Assert.Equal(HoursEnAnswer, response.Text);
    }

    [Fact]
    public async Task Without_the_handoff_tool_on_offer_it_says_it_passes_the_message_on()
    {
        var response = await _client.GetResponseAsync(Conversation("Do you repair bikes?"));

        Assert.Equal("I don't have that information here, so I have passed your message to our team. They will answer you in this conversation.", response.Text);
    }

    [Fact]
    public async Task It_reports_its_model_and_token_estimate()
    {
        var response = await RespondAsync(null, true, Knowledge, "What time do you open on Sundays?");

        Assert.Equal(LocalResponderChatClient.ModelId, response.ModelId);
        Assert.True(response.Usage!.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task A_photo_or_a_marked_voice_message_is_acknowledged_in_the_customers_language_not_read_as_their_words()
    {
        var options = AssistantPrompt.BuildOptions("Oi!", true, Knowledge, model: null, maxOutputTokens: null);
        const string Acknowledged = "Obrigado, recebi seu arquivo. Pode me dizer em poucas palavras como posso ajudar?";
        // Earlier Portuguese turns decide the language; the English marker must not, nor match knowledge ("sent", "message").
        var history = Conversation("Bom dia, tudo bem?", "Tudo ótimo! Como posso ajudar?");
        List<ChatMessage> photo = [.. history, new(ChatRole.User, [new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png")])];
        List<ChatMessage> voice = [.. history, new(ChatRole.User, [MediaMarkers.Content("[The customer sent a voice message: opening hours.ogg]")])];

        Assert.Equal(Acknowledged, (await _client.GetResponseAsync(photo, options)).Text);
        Assert.Equal(Acknowledged, (await _client.GetResponseAsync(voice, options)).Text);
    }
}
