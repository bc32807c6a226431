using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// How an assistant's configuration reaches any <see cref="IChatClient"/>: the system prompt first, then the recent
/// history, then the customer's new message. The greeting travels twice: in the system message, for a real model
/// that follows instructions, and in the options, for the local responder that cannot read instructions.
/// </summary>
public static class AssistantPrompt
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> holding the assistant's greeting.</summary>
    public const string GreetingProperty = "saas.assistant.greeting";

    /// <summary>How many earlier messages go with the new one: enough context, bounded cost.</summary>
    public const int HistoryLength = 10;

    public static List<ChatMessage> BuildMessages(string systemPrompt, string? greeting, IEnumerable<ChatMessage> history, ChatMessage newMessage)
    {
        var system = string.IsNullOrWhiteSpace(greeting)
            ? systemPrompt
            : $"{systemPrompt}\n\nWhen a conversation starts, greet the customer with: {greeting}";
        return [new ChatMessage(ChatRole.System, system), .. history, newMessage];
    }

    public static ChatOptions BuildOptions(string? greeting)
    {
        var options = new ChatOptions();
        if (!string.IsNullOrWhiteSpace(greeting))
            options.AdditionalProperties = new AdditionalPropertiesDictionary { [GreetingProperty] = greeting };
        return options;
    }

    public static string? GreetingFrom(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(GreetingProperty, out var value) == true ? value as string : null;
}
