using System.Globalization;
using System.Resources;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Context;
using SaasAssistants.MessageProcessor.Knowledge;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// The built-in responder, used when no provider is configured (the default of ./run.sh): no network, no key, and
/// nothing made up. It answers extractively, with the retrieved knowledge passage that best matches the customer's
/// words, preferring one in the customer's language, and ends with the passage's source ("(Fonte: entrega.md ›
/// Entrega > Frete)"), as a model is asked to. When the customer asks for a person, or no passage matches, it
/// calls <see cref="HandoffTool"/> instead of answering, as a real model is told to. It greets on a first turn.
/// </summary>
public sealed class LocalResponderChatClient(TimeProvider timeProvider) : IChatClient
{
    public const string ModelId = "local-responder";

    // A passage longer than this is cut at a sentence end: a reply, not a document.
    private const int MaxAnswerLength = 700;

    // Asking for a person is the one request the responder recognises by its words; everything else is answered
    // from knowledge or handed over.
    private static readonly string[] PersonRequests =
    [
        "atendente", "humano", "uma pessoa", "falar com alguem", "human", "a person", "real person", "representative",
        "talk to someone", "speak to someone", "an agent",
    ];

    private static readonly ResourceManager Texts = new("SaasAssistants.MessageProcessor.Ai.LocalResponderTexts", typeof(LocalResponderChatClient).Assembly);
    private static readonly ChatClientMetadata Metadata = new(providerName: "local", defaultModelId: ModelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();

        var reply = Compose(conversation, options);
        var inputTokens = conversation.Sum(m => EstimateTokens(m.Text));
        var outputTokens = EstimateTokens(reply.Text);
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = ModelId,
            CreatedAt = timeProvider.GetUtcNow(),
            FinishReason = reply.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Nothing to stream from: the whole reply exists at once, so it is sent as the updates of one response.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // Holds nothing that needs releasing.
    }

    /// <summary>The language of the customer's newest clear message (pt-BR when nothing decides it).</summary>
    public static CultureInfo CustomerLanguage(IEnumerable<ChatMessage> conversation)
        => MessageLanguage.Detect(conversation.Where(m => m.Role == ChatRole.User).Reverse().Select(m => KeywordText.Parse(MediaMarkers.CustomerText(m))));

    public static string Text(string name, CultureInfo culture)
        => Texts.GetString(name, culture) ?? throw new MissingManifestResourceException($"Local responder text '{name}' is missing.");

    private static ChatMessage Compose(IReadOnlyList<ChatMessage> conversation, ChatOptions? options)
    {
        var culture = CustomerLanguage(conversation);
        // The burst: every customer message since the last answer.
        var burst = conversation.Reverse().TakeWhile(m => m.Role != ChatRole.Assistant).Where(m => m.Role == ChatRole.User).Reverse().ToList();
        // The customer's own words only: it cannot see an image, and our markers ("[The customer sent …]") are not theirs.
        var burstText = KeywordText.Parse(string.Join(' ', burst.Select(MediaMarkers.CustomerText)));
        var isFirstTurn = !conversation.Any(m => m.Role == ChatRole.Assistant);

        if (burstText.Words.Count == 0)
        {
            return new ChatMessage(ChatRole.Assistant, Text("Attachment", culture));
        }
        // Without the handoff tool (a plain ai.generate task) the same honesty goes into words instead of a call.
        var canHandOff = options?.Tools?.Any(t => t.Name == HandoffTool.Name) == true;
        if (burstText.ContainsAny(PersonRequests))
        {
            return canHandOff ? HandoffCall(HandoffTool.CustomerAsked) : new ChatMessage(ChatRole.Assistant, Text("HumanRequested", culture));
        }

        if (BestPassage(burstText, AssistantPrompt.KnowledgeIn(options), culture) is not { } passage)
        {
            return canHandOff ? HandoffCall(HandoffTool.NoKnowledge) : new ChatMessage(ChatRole.Assistant, Text("PassingToTeam", culture));
        }

        var greeting = AssistantPrompt.GreetingFrom(options);
        var opening = isFirstTurn && !AssistantPrompt.GreetingShownIn(options) ? greeting ?? Text("DefaultGreeting", culture) : null;
        var citation = string.Format(culture, Text("SourceCitation", culture), passage.Source.Citation);
        return new ChatMessage(ChatRole.Assistant,
            string.Join(' ', new[] { opening, Shorten(passage.Text.Trim()), citation }.Where(p => !string.IsNullOrEmpty(p))));
    }

    private static ChatMessage HandoffCall(string reason) => new(ChatRole.Assistant,
        [new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..12], HandoffTool.Name, new Dictionary<string, object?> { ["reason"] = reason })]);

    /// <summary>
    /// The passage sharing the most content words with the burst; a passage in the customer's language wins a tie.
    /// Words match when one starts with the other (domingo/domingos, sunday/sundays): a stemmer's effect, cheaply.
    /// A passage's headings count as its words ("Frete" above a paragraph about prices). The passage's language is its document's when the knowledge base knows it, else read from its words.
    /// </summary>
    private static KnowledgePassage? BestPassage(KeywordText burst, IReadOnlyList<KnowledgePassage> passages, CultureInfo culture)
    {
        var wanted = burst.Words.Where(w => w.Length >= 4).Distinct().ToList();
        var best = passages
            .Select((passage, rank) => (passage, rank, parsed: KeywordText.Parse(passage.Source.HeadingPath + "\n" + passage.Text)))
            .Select(p => (p.passage, p.rank, overlap: wanted.Count(w => p.parsed.Words.Any(word => word.Length >= 4 && (word.StartsWith(w, StringComparison.Ordinal) || w.StartsWith(word, StringComparison.Ordinal)))),
                sameLanguage: LanguageOf(p.passage, p.parsed) == culture.TwoLetterISOLanguageName))
            .Where(p => p.overlap > 0)
            .OrderByDescending(p => p.overlap).ThenByDescending(p => p.sameLanguage).ThenBy(p => p.rank)
            .FirstOrDefault();
        return best.passage;
    }

    private static string LanguageOf(KnowledgePassage passage, KeywordText parsed)
        => passage.Language ?? MessageLanguage.Detect([parsed]).TwoLetterISOLanguageName;

    private static string Shorten(string text)
    {
        if (text.Length <= MaxAnswerLength)
        {
            return text;
        }

        var cut = text.LastIndexOfAny(['.', '!', '?'], MaxAnswerLength - 1);
        return cut > MaxAnswerLength / 3 ? text[..(cut + 1)] : string.Concat(text.AsSpan(0, MaxAnswerLength).TrimEnd(), "…");
    }

    /// <summary>About four characters per token: the usual rule of thumb for English and Portuguese text.</summary>
    private static long EstimateTokens(string? text) => ((text?.Length ?? 0) + 3) / 4;
}
