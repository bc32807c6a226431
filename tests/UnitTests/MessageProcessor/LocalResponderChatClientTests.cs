using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.MessageProcessor;

public class LocalResponderChatClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly LocalResponderChatClient _client = new(new ManualTimeProvider(Now));

    private static List<ChatMessage> Conversation(params string[] turns)
    {
        // Turns alternate customer, assistant, customer...: the last one is always the customer's.
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are the assistant of a bakery.") };
        messages.AddRange(turns.Select((text, i) => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, text)));
        return messages;
    }

    private async Task<string> ReplyAsync(string? greeting, params string[] turns)
        => (await _client.GetResponseAsync(Conversation(turns), AssistantPrompt.BuildOptions(greeting, greetingShown: false))).Text;

    private async Task<string> ReplyAfterTheWidgetGreetedAsync(string? greeting, params string[] turns)
        => (await _client.GetResponseAsync(Conversation(turns), AssistantPrompt.BuildOptions(greeting, greetingShown: true))).Text;

    [Fact]
    public async Task The_first_reply_opens_with_the_assistants_greeting()
    {
        var reply = await ReplyAsync("Olá! Aqui é a Padaria Pão Quente.", "Oi");

        Assert.Equal("Olá! Aqui é a Padaria Pão Quente.", reply);
    }

    [Fact]
    public async Task A_greeting_the_channel_already_showed_is_not_repeated()
    {
        Assert.Equal("Happy to help with prices! Tell me which product or service you are interested in and I will get you the current values.",
            await ReplyAfterTheWidgetGreetedAsync("Welcome to the bakery!", "How much is a loaf of bread?"));
        Assert.Equal("How can I help you today?", await ReplyAfterTheWidgetGreetedAsync("Welcome to the bakery!", "Hi"));
    }

    [Fact]
    public void The_system_prompt_says_whether_the_customer_was_greeted_already()
    {
        var greet = AssistantPrompt.BuildMessages("Be kind.", "Welcome!", greetingShown: false, [], new ChatMessage(ChatRole.User, "Hi"));
        var greeted = AssistantPrompt.BuildMessages("Be kind.", "Welcome!", greetingShown: true, [], new ChatMessage(ChatRole.User, "Hi"));

        Assert.Equal("Be kind.\n\nWhen a conversation starts, greet the customer with: Welcome!", greet[0].Text);
        Assert.Equal("Be kind.\n\nThe customer has already seen your greeting (\"Welcome!\"); do not greet them again.", greeted[0].Text);
    }

    [Theory]
    [InlineData("oi", "Olá! Obrigado por entrar em contato. Como posso ajudar você hoje?")]
    [InlineData("Hello there", "Hello! Thanks for getting in touch. How can I help you today?")]
    public async Task Without_a_greeting_the_first_reply_uses_the_default_one_in_the_customers_language(string message, string expected)
    {
        Assert.Equal(expected, await ReplyAsync(null, message));
    }

    [Fact]
    public async Task The_greeting_comes_before_the_answer_on_the_first_turn_only()
    {
        var first = await ReplyAsync("Welcome to the bakery!", "How much is a loaf of bread?");
        var later = await ReplyAsync("Welcome to the bakery!", "Hi", "Welcome to the bakery!", "How much is a loaf of bread?");

        Assert.StartsWith("Welcome to the bakery! Happy to help with prices!", first);
        Assert.StartsWith("Happy to help with prices!", later);
    }

    [Theory]
    [InlineData("Qual o horário de funcionamento de vocês?", "horário de funcionamento")]
    [InlineData("Vocês abrem no domingo?", "horário de funcionamento")]
    [InlineData("Are you open on Sunday?", "opening hours")]
    [InlineData("Quanto custa o bolo de cenoura?", "Posso ajudar com valores")]
    [InlineData("QUAL O PRECO DO PAO?", "Posso ajudar com valores")]
    [InlineData("how much does delivery cost", "Happy to help with prices")]
    [InlineData("Quero falar com um atendente, por favor", "Vou chamar alguém da nossa equipe")]
    [InlineData("Can I talk to a human?", "bringing a member of our team")]
    [InlineData("Muito obrigado!", "Por nada!")]
    [InlineData("thank you so much", "You're welcome!")]
    [InlineData("Oi de novo", "Olá de novo! Como posso ajudar você hoje?")]
    public async Task Common_intents_get_an_answer_in_the_customers_language(string message, string expectedFragment)
    {
        var reply = await ReplyAsync(null, "Oi", "Olá!", message);

        Assert.Contains(expectedFragment, reply);
    }

    [Fact]
    public async Task Asking_for_a_person_outranks_a_price_question()
    {
        var reply = await ReplyAsync(null, "hi", "Hello!", "What is the price? I'd rather talk to someone");

        Assert.Contains("bringing a member of our team", reply);
    }

    [Theory]
    [InlineData("Vocês entregam em Niterói?", "Entendi, você perguntou: “Vocês entregam em Niterói”.")]
    [InlineData("Do you deliver   to\nthe airport?", "Got it, you asked: “Do you deliver to the airport”.")]
    public async Task Anything_else_is_acknowledged_and_restated(string message, string expectedFragment)
    {
        var reply = await ReplyAsync(null, "Oi", "Olá!", message);

        Assert.Contains(expectedFragment, reply);
    }

    [Fact]
    public async Task A_long_question_is_restated_shortened()
    {
        var question = string.Join(' ', Enumerable.Repeat("Do you bake gluten free cakes for weddings", 10));

        var reply = await ReplyAsync(null, "hi", "Hello!", question);

        Assert.Contains("…”", reply);
        Assert.True(reply.Length < question.Length, "the restatement is cut, not the whole question echoed");
    }

    [Fact]
    public async Task An_undecided_message_is_answered_in_the_language_of_the_conversation()
    {
        var reply = await ReplyAsync(null, "Hello, do you bake birthday cakes?", "Hello!", "ok");

        Assert.StartsWith("Got it, you asked: “ok”", reply);
    }

    [Fact]
    public async Task A_message_without_text_asks_what_the_attachment_is_about()
    {
        var reply = await ReplyAsync(null, "Oi", "Olá!", "");

        Assert.Contains("recebi seu arquivo", reply);
    }

    [Fact]
    public async Task Replies_are_deterministic()
    {
        var first = await ReplyAsync("Bem-vindo!", "Vocês fazem bolo de aniversário?");
        var second = await ReplyAsync("Bem-vindo!", "Vocês fazem bolo de aniversário?");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task The_response_names_the_model_and_estimates_usage_at_four_characters_a_token()
    {
        var messages = Conversation("Quanto custa?");

        var response = await _client.GetResponseAsync(messages);

        Assert.Equal("local-responder", response.ModelId);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(Now, response.CreatedAt);
        var usage = Assert.IsType<UsageDetails>(response.Usage);
        Assert.Equal(messages.Sum(m => (m.Text.Length + 3) / 4), usage.InputTokenCount);
        Assert.Equal((response.Text.Length + 3) / 4, usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_yields_the_same_reply()
    {
        var messages = Conversation("Qual o horário?");
        var response = await _client.GetResponseAsync(messages);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _client.GetStreamingResponseAsync(messages))
            updates.Add(update);

        var streamed = updates.ToChatResponse();
        Assert.Equal(response.Text, streamed.Text);
        Assert.Equal("local-responder", streamed.ModelId);
        Assert.Equal(response.Usage?.TotalTokenCount, streamed.Usage?.TotalTokenCount);
    }

    [Fact]
    public void It_describes_itself_through_GetService()
    {
        var metadata = _client.GetService<ChatClientMetadata>();

        Assert.Equal("local-responder", metadata?.DefaultModelId);
        Assert.Same(_client, _client.GetService<IChatClient>());
        Assert.Null(_client.GetService<ChatClientMetadata>(serviceKey: "other"));
        Assert.Null(_client.GetService<string>());
    }

    [Fact]
    public async Task A_cancelled_request_is_not_answered()
    {
        await Assert.ThrowsAsync<OperationCanceledException>(
            () => _client.GetResponseAsync(Conversation("Oi"), cancellationToken: new CancellationToken(canceled: true)));
    }
}
