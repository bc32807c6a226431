using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.Database.Conversations;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>
/// <c>POST /api/v{1,2}/conversations/{id}/handoff</c> (conversations:write): an agent takes the conversation over (<c>{"handoff": "human",
/// "agentId": ...}</c>) or hands it back to the assistant (<c>{"handoff": "assistant"}</c>). The change goes through the
/// entity's state machine with optimistic locking (a concurrent change is re-read and re-applied, never overwritten) and
/// its event leaves through the outbox. While a person has it, the assistant does not reply.
/// </summary>
public static class ConversationHandoffEndpoint
{
    public static RouteGroupBuilder MapConversationHandoff(this RouteGroupBuilder api)
    {
        api.MapPost("/{id:guid}/handoff", ChangeHandoffAsync)
            .WithName("ChangeConversationHandoff")
            .RequireScope(ApiScopes.ConversationsWrite)
            .WithSummary("An agent takes the conversation over, or hands it back to the assistant.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<ConversationHandoffResponse>, ValidationProblem, ProblemHttpResult>> ChangeHandoffAsync(
        Guid id, HandoffRequest? body, AgentActions actions, CancellationToken cancellationToken)
    {
        if (body?.Handoff is not (Handoff.Human or Handoff.Assistant))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["handoff"] = ["must be \"human\" or \"assistant\"."] });
        }
        if (body.Handoff == Handoff.Human && body.AgentId is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = ["is required when handoff is \"human\"."] });
        }
        // The CRM's own actions: another tenant's agent is not found, a concurrent change is re-read and decided again.
        var result = body.Handoff == Handoff.Human
            ? await actions.AssignAsync(id, body.AgentId!.Value, cancellationToken)
            : await actions.HandBackAsync(id, cancellationToken);
        if (!result.Succeeded)
        {
            return AgentActionProblems.From(result);
        }
        var conversation = result.Conversation!;
        return TypedResults.Ok(new ConversationHandoffResponse(conversation.Id, conversation.Handoff, conversation.AssignedAgentId, conversation.Version));
    }
}

/// <param name="Handoff">human (an agent takes over; agentId required) or assistant (hand it back).</param>
/// <param name="AgentId">The agent (a user of the tenant) taking over.</param>
public sealed record HandoffRequest([property: Required] string? Handoff, Guid? AgentId);

public sealed record ConversationHandoffResponse(Guid Id, string Handoff, Guid? AssignedAgentId, int Version);
