using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// The assistant's handoff tool: ask for a person. Offered to every model with the reply request (as a kernel function
/// of <see cref="AssistantTools"/>); a model that calls it (or the built-in responder, when the customer asks for a person
/// or nothing in the knowledge matches) makes the conversation wait for a human. Running the function only ends the
/// exchange with the model: the effect is a state change that must commit with the reply, in the reply's transaction,
/// so it is read from the response.
/// </summary>
public static class HandoffTool
{
    public const string Name = "request_human";

    public const string Description = "Hand the conversation to a human agent of the business. Call it when the customer asks for a person, or when "
        + "you cannot answer from the instructions and knowledge you were given. Do not promise anything else.";

    public const string ReasonDescription = "Why a person is needed, in a few words.";

    /// <summary>Argument values the built-in responder uses; a model may give any short reason.</summary>
    public const string CustomerAsked = "customer_asked";
    public const string NoKnowledge = "no_matching_knowledge";

    /// <summary>The tool declared without a function behind it, for callers that only read the call from the response.</summary>
    public static AIFunctionDeclaration Declaration { get; } = AIFunctionFactory.CreateDeclaration(Name, Description,
        JsonDocument.Parse("""
            {"type":"object","properties":{"reason":{"type":"string","description":"Why a person is needed, in a few words."}},"required":["reason"]}
            """).RootElement);

    /// <summary>The handoff the response asks for, if any: the reason given with the call.</summary>
    public static string? RequestedIn(ChatResponse response)
    {
        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().FirstOrDefault(c => c.Name == Name);
        if (call is null)
        {
            return null;
        }

        return call.Arguments?.TryGetValue("reason", out var reason) == true && reason?.ToString() is { Length: > 0 } text ? text : "assistant_cannot_help";
    }
}
