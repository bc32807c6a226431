using System.ComponentModel;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using SaasAssistants.MessageProcessor.Knowledge;

namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>
/// The assistant's tools as Semantic Kernel functions: ask for a person (<see cref="HandoffTool"/>) and look up the
/// business's knowledge. Kernel functions are Microsoft.Extensions.AI functions, so the same objects go to every
/// <see cref="IChatClient"/> of the chain (OpenAI's <c>tools</c>, Anthropic's <c>tools</c>, the built-in responder) and
/// are run by <see cref="FunctionInvokingChatClient"/> when a model calls them. One instance per reply: it knows
/// the assistant whose knowledge it searches, in the reply task's tenant scope.
/// </summary>
public sealed class AssistantTools(IKnowledgeRetriever retriever, Guid assistantId)
{
    public const string SearchKnowledgeName = "search_knowledge";

    /// <summary>What the model is told after it asked for a person; the reply's text then comes from our own resources.</summary>
    public const string HandedOver = "A person of the team takes the conversation over.";

    public const string NothingFound = "Nothing in the knowledge base matches.";

    private const int Passages = 5;

    /// <summary>The tools for one reply, in the order the model sees them.</summary>
    public static IList<AITool> For(IKnowledgeRetriever retriever, Guid assistantId)
    {
        var tools = new AssistantTools(retriever, assistantId);
        // A kernel of its own: the functions need one to run, and nothing else of SK's is involved.
        var kernel = new Kernel();
        // Functions without a plugin: a plugin would qualify their names ("assistant_request_human"), and request_human
        // is the name the prompt, the built-in responder and HandoffTool.RequestedIn use.
        return
        [
            KernelFunctionFactory.CreateFromMethod(typeof(AssistantTools).GetMethod(nameof(RequestHuman))!, tools).WithKernel(kernel),
            KernelFunctionFactory.CreateFromMethod(typeof(AssistantTools).GetMethod(nameof(SearchKnowledgeAsync))!, tools).WithKernel(kernel),
        ];
    }

    [KernelFunction(HandoffTool.Name)]
    [Description(HandoffTool.Description)]
    public string RequestHuman([Description(HandoffTool.ReasonDescription)] string reason)
    {
        // The handoff is a state change that commits with the reply, in the reply's transaction: calling the tool ends
        // the exchange with the model, and AiReplyProcessor reads the call from the response (HandoffTool.RequestedIn).
        if (FunctionInvokingChatClient.CurrentContext is { } context)
        {
            context.Terminate = true;
        }

        return HandedOver;
    }

    [KernelFunction(SearchKnowledgeName)]
    [Description("Search the business's knowledge base (documents it uploaded) for passages about a question. Use it "
        + "when the knowledge you were given does not answer the customer; quote what it returns faithfully.")]
    public async Task<string> SearchKnowledgeAsync(
        [Description("What to look for, in the customer's words.")] string query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return NothingFound;
        }

        var passages = await retriever.RetrieveAsync(assistantId, query, Passages, cancellationToken);
        return passages.Count == 0
            ? NothingFound
            : string.Join("\n", passages.Select((p, i) => $"[{i + 1}] {p.Text} (source: {p.Source})"));
    }
}
