using Microsoft.Extensions.AI;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.MessageProcessor;

/// <summary>The local responder answering from knowledge passages, as the reply path hands them over (KnowledgePrompt).</summary>
public class LocalResponderKnowledgeTests
{
    private static readonly KnowledgePassage FeePt = Passage("entrega.md", "Entrega > Frete", "pt",
        "O frete custa R$ 12,90 e é grátis para compras acima de R$ 150. Para outras cidades o prazo é de 3 a 7 dias úteis.");
    private static readonly KnowledgePassage FeeEn = Passage("delivery.md", "Delivery > Shipping fee", "en",
        "Shipping costs R$ 12.90 and is free for orders over R$ 150. Other cities take 3 to 7 business days.");
    private static readonly KnowledgePassage Hours = Passage("opening-hours.md", "Opening hours", "en",
        "The store is open Monday to Friday from 9 am to 6 pm. We are closed on Sundays.");

    private readonly LocalResponderChatClient _client = new(new ManualTimeProvider(DateTimeOffset.UnixEpoch));

    private async Task<ChatResponse> AskAsync(string question, params KnowledgePassage[] passages)
    {
        var messages = AssistantPrompt.BuildMessages("You are helpful.", null, greetingShown: true, [], new ChatMessage(ChatRole.User, question));
        var options = AssistantPrompt.BuildOptions(null, greetingShown: true);
        KnowledgePrompt.Add(messages, options, passages);
        return await _client.GetResponseAsync(messages, options);
    }

    [Fact]
    public async Task It_quotes_the_matching_sentence_of_the_passage_in_the_customers_language_with_its_source()
    {
        var reply = (await AskAsync("Quanto custa o frete?", FeeEn, FeePt, Hours)).Text;

        Assert.Contains("O frete custa R$ 12,90 e é grátis para compras acima de R$ 150.", reply);
        Assert.DoesNotContain("Shipping", reply);
        Assert.EndsWith("(Fonte: entrega.md › Entrega > Frete)", reply);
    }

    [Fact]
    public async Task An_english_question_gets_the_english_passage()
    {
        var reply = (await AskAsync("How much is shipping?", FeePt, FeeEn)).Text;

        Assert.Contains("Shipping costs R$ 12.90", reply);
        Assert.EndsWith("(Source: delivery.md › Delivery > Shipping fee)", reply);
    }

    [Fact]
    public async Task Passages_that_share_no_word_with_the_question_are_not_quoted()
    {
        var reply = (await AskAsync("Do you sell gift cards?", Hours)).Text;

        Assert.DoesNotContain("Monday", reply);
        Assert.Contains("gift cards", reply); // the usual restatement
    }

    [Fact]
    public void The_passages_reach_a_real_model_as_a_numbered_system_message_after_the_prompt()
    {
        var messages = AssistantPrompt.BuildMessages("You are helpful.", null, greetingShown: false, [], new ChatMessage(ChatRole.User, "hours?"));
        var options = AssistantPrompt.BuildOptions(null, greetingShown: false);

        KnowledgePrompt.Add(messages, options, [Hours, FeeEn]);

        Assert.Equal([ChatRole.System, ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        Assert.Contains("[1] opening-hours.md › Opening hours\nThe store is open", messages[1].Text);
        Assert.Contains("[2] delivery.md › Delivery > Shipping fee", messages[1].Text);
        Assert.Equal([Hours, FeeEn], KnowledgePrompt.From(options));
    }

    private static KnowledgePassage Passage(string document, string headings, string language, string text) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), document, null, headings, null, text, 0.9, 0.7, language);
}
