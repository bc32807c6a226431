using System.Globalization;
using System.Resources;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// The built-in responder: answers without a network or a key, so a fresh installation (and every test) gets a
/// useful reply. Deterministic: it greets on a conversation's first turn, answers a few common intents by keyword
/// in the customer's language (pt-BR or English), and otherwise restates the question and promises a follow-up. Given
/// knowledge passages (<see cref="KnowledgePrompt"/>), it answers a question from them instead, quoting the sentences
/// that match it and naming the source.
/// </summary>
public sealed class LocalResponderChatClient(TimeProvider timeProvider) : IChatClient
{
    public const string ModelId = "local-responder";

    // Longer restatements read as an echo, not as an answer.
    private const int MaxRestatedLength = 160;

    private static readonly ResourceManager Texts = new("SaasAssistants.MessageProcessor.Ai.LocalResponderTexts", typeof(LocalResponderChatClient).Assembly);
    private static readonly ChatClientMetadata Metadata = new(providerName: "local", defaultModelId: ModelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();

        var reply = Compose(conversation, AssistantPrompt.GreetingFrom(options), AssistantPrompt.GreetingShownIn(options), KnowledgePrompt.From(options));
        var inputTokens = conversation.Sum(m => EstimateTokens(m.Text));
        var outputTokens = EstimateTokens(reply);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = ModelId,
            CreatedAt = timeProvider.GetUtcNow(),
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Nothing to stream from: the whole reply exists at once, so it is sent as the updates of one response.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return Metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // Holds nothing that needs releasing.
    }

    private static string Compose(IReadOnlyList<ChatMessage> conversation, string? greeting, bool greetingShown, IReadOnlyList<SaasAssistants.Knowledge.Search.KnowledgePassage> passages)
    {
        var customerTexts = conversation.Where(m => m.Role == ChatRole.User).Reverse().Select(m => KeywordText.Parse(m.Text)).ToList();
        var culture = MessageLanguage.Detect(customerTexts);
        var isFirstTurn = !conversation.Any(m => m.Role == ChatRole.Assistant);
        var newText = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text?.Trim() ?? string.Empty;

        var opening = isFirstTurn && !greetingShown ? greeting ?? Text("DefaultGreeting", culture) : null;
        var intent = newText.Length == 0 ? CustomerIntent.Other : KeywordIntentClassifier.Classify(customerTexts[0]);
        var fromKnowledge = newText.Length == 0 || intent is CustomerIntent.Greeting or CustomerIntent.Thanks or CustomerIntent.HumanAgent
            ? null
            : ExtractiveAnswer.From(passages, customerTexts[0], culture);
        var answer = newText.Length == 0
            ? Text("Attachment", culture)
            : fromKnowledge is not null
            ? $"{fromKnowledge.Text} {string.Format(culture, Text("KnowledgeSource", culture), fromKnowledge.Source)}"
            : intent switch
            {
                // A tenant's own greeting just sent usually ends with an offer to help already; the default one does not,
                // and a greeting the channel showed earlier is not repeated, so the offer comes alone.
                CustomerIntent.Greeting when isFirstTurn => greeting is null || greetingShown ? Text("HowCanIHelp", culture) : null,
                CustomerIntent.Greeting => $"{Text("GreetingAgain", culture)} {Text("HowCanIHelp", culture)}",
                CustomerIntent.Thanks => Text("Thanks", culture),
                CustomerIntent.OpeningHours => Text("OpeningHours", culture),
                CustomerIntent.Price => Text("Price", culture),
                CustomerIntent.HumanAgent => Text("HumanAgent", culture),
                _ => string.Format(culture, Text("Restatement", culture), Restate(newText)),
            };
        return string.Join(' ', new[] { opening, answer }.Where(part => !string.IsNullOrEmpty(part)));
    }

    private static string Restate(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('?', '.', '!');
        return oneLine.Length <= MaxRestatedLength ? oneLine : string.Concat(oneLine.AsSpan(0, MaxRestatedLength).TrimEnd(), "…");
    }

    private static string Text(string name, CultureInfo culture)
        => Texts.GetString(name, culture) ?? throw new MissingManifestResourceException($"Local responder text '{name}' is missing.");

    /// <summary>About four characters per token: the usual rule of thumb for English and Portuguese text.</summary>
    private static long EstimateTokens(string? text) => ((text?.Length ?? 0) + 3) / 4;
}
