using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// How an assistant's configuration reaches any <see cref="IChatClient"/>: the system prompt first, then the recent
/// history, then the customer's new message. The greeting travels twice: in the system message, for a real model
/// that follows instructions, and in the options, for the local responder that cannot read instructions. Where the
/// channel has shown the greeting already (the web widget does, as it opens), the assistant is told not to repeat it.
/// </summary>
public static class AssistantPrompt
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> holding the assistant's greeting.</summary>
    public const string GreetingProperty = "saas.assistant.greeting";

    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/>: true when the customer has seen the greeting already.</summary>
    public const string GreetingShownProperty = "saas.assistant.greeting_shown";

    /// <summary>How many earlier messages go with the new one: enough context, bounded cost.</summary>
    public const int HistoryLength = 10;

    public static List<ChatMessage> BuildMessages(
        string systemPrompt, string? greeting, bool greetingShown, IEnumerable<ChatMessage> history, ChatMessage newMessage)
    {
        var system = string.IsNullOrWhiteSpace(greeting) ? systemPrompt
            : greetingShown ? $"{systemPrompt}\n\nThe customer has already seen your greeting (\"{greeting}\"); do not greet them again."
            : $"{systemPrompt}\n\nWhen a conversation starts, greet the customer with: {greeting}";
        return [new ChatMessage(ChatRole.System, system), .. history, newMessage];
    }

    public static ChatOptions BuildOptions(string? greeting, bool greetingShown)
    {
        var properties = new AdditionalPropertiesDictionary();
        if (!string.IsNullOrWhiteSpace(greeting))
        {
            properties[GreetingProperty] = greeting;
            if (greetingShown)
                properties[GreetingShownProperty] = true;
        }
        return new ChatOptions { AdditionalProperties = properties.Count == 0 ? null : properties };
    }

    public static string? GreetingFrom(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(GreetingProperty, out var value) == true ? value as string : null;

    public static bool GreetingShownIn(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(GreetingShownProperty, out var value) == true && value is true;
}
