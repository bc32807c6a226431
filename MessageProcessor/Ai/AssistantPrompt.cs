using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Knowledge;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// How an assistant's configuration reaches any <see cref="IChatClient"/>: one system message (the assistant's prompt,
/// its language, the greeting rule, the conversation's summary and the retrieved knowledge), then the recent turns.
/// Greeting and knowledge also travel in the options, for the built-in responder, which cannot read instructions.
/// Each knowledge passage goes with its source (document, heading path, page), so the answer can cite it.
/// </summary>
public static class AssistantPrompt
{
    public const string GreetingProperty = "saas.assistant.greeting";
    public const string GreetingShownProperty = "saas.assistant.greeting_shown";
    public const string KnowledgeProperty = "saas.knowledge";

    public static ChatMessage BuildSystem(string systemPrompt, string? language, string? greeting, bool greetingShown, string? summary,
        IReadOnlyList<KnowledgePassage> knowledge)
    {
        var parts = new List<string> { systemPrompt };
        if (!string.IsNullOrWhiteSpace(language))
        {
            parts.Add($"Answer in the customer's language; the business's default language is {language}.");
        }

        if (!string.IsNullOrWhiteSpace(greeting))
        {
            parts.Add(greetingShown
                ? $"The customer has already seen your greeting (\"{greeting}\"); do not greet them again."
                : $"When a conversation starts, greet the customer with: {greeting}");
        }

        parts.Add($"If the customer asks for a person, or you cannot answer from what you were given, call {HandoffTool.Name}. "
            + "Never promise anything the business has not told you it does.");
        if (!string.IsNullOrWhiteSpace(summary))
        {
            parts.Add($"Summary of the earlier conversation:\n{summary}");
        }

        if (knowledge.Count > 0)
        {
            parts.Add(KnowledgeSection(knowledge));
        }

        return new ChatMessage(ChatRole.System, string.Join("\n\n", parts));
    }

    /// <summary>
    /// The numbered passages, each under its source line, and how to cite them: the customer sees where an answer
    /// comes from, and an agent reading the conversation can check it.
    /// </summary>
    public static string KnowledgeSection(IReadOnlyList<KnowledgePassage> knowledge)
        => "Knowledge (answer only from it and quote it faithfully; end the answer with the source of the passage you used, "
            + "as \"(Source: <source>)\", or \"(Fonte: <source>)\" when you answer in Portuguese):\n"
            + string.Join("\n", knowledge.Select((k, i) => $"[{i + 1}] source: {k.Source.Citation}\n{k.Text.Trim()}"));

    public static ChatOptions BuildOptions(string? greeting, bool greetingShown, IReadOnlyList<KnowledgePassage> knowledge, string? model, int? maxOutputTokens,
        IList<AITool>? tools = null)
    {
        var properties = new AdditionalPropertiesDictionary();
        if (!string.IsNullOrWhiteSpace(greeting))
        {
            properties[GreetingProperty] = greeting;
            if (greetingShown)
            {
                properties[GreetingShownProperty] = true;
            }
        }
        if (knowledge.Count > 0)
        {
            properties[KnowledgeProperty] = knowledge;
        }
        return new ChatOptions
        {
            ModelId = model,
            MaxOutputTokens = maxOutputTokens,
            // Without the assistant's own tools (a caller outside a reply), the handoff is still declared.
            Tools = tools ?? [HandoffTool.Declaration],
            AdditionalProperties = properties.Count == 0 ? null : properties,
        };
    }

    public static string? GreetingFrom(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(GreetingProperty, out var value) == true ? value as string : null;

    public static bool GreetingShownIn(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(GreetingShownProperty, out var value) == true && value is true;

    public static IReadOnlyList<KnowledgePassage> KnowledgeIn(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(KnowledgeProperty, out var value) == true && value is IReadOnlyList<KnowledgePassage> passages ? passages : [];
}
