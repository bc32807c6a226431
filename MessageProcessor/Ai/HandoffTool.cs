using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// The assistant's one tool: ask for a person. Offered to every model with the reply request; a model that calls it
/// (or the built-in responder, when the customer asks for a person or nothing in the knowledge matches) makes the
/// conversation wait for a human. The call is read from the response, not executed by a function-invoking client:
/// its effect is a state change that must commit with the reply, in the reply's transaction.
/// </summary>
public static class HandoffTool
{
    public const string Name = "request_human";

    /// <summary>Argument values the built-in responder uses; a model may give any short reason.</summary>
    public const string CustomerAsked = "customer_asked";
    public const string NoKnowledge = "no_matching_knowledge";

    public static AIFunctionDeclaration Declaration { get; } = AIFunctionFactory.CreateDeclaration(
        Name,
        "Hand the conversation to a human agent of the business. Call it when the customer asks for a person, or when "
        + "you cannot answer from the instructions and knowledge you were given. Do not promise anything else.",
        JsonDocument.Parse("""
            {"type":"object","properties":{"reason":{"type":"string","description":"Why a person is needed, in a few words."}},"required":["reason"]}
            """).RootElement);

    /// <summary>The handoff the response asks for, if any: the reason given with the call.</summary>
    public static string? RequestedIn(ChatResponse response)
    {
        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().FirstOrDefault(c => c.Name == Name);
        if (call is null)
            return null;
        return call.Arguments?.TryGetValue("reason", out var reason) == true && reason?.ToString() is { Length: > 0 } text ? text : "assistant_cannot_help";
    }
}
