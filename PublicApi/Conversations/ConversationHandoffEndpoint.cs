using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.EventBus.Outbox;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/handoff</c>: an agent takes the conversation over (<c>{"handoff": "human",
/// "agentId": ...}</c>) or hands it back to the assistant (<c>{"handoff": "assistant"}</c>). The change goes through the
/// entity's state machine with optimistic locking (a concurrent change is re-read and re-applied, never overwritten) and
/// its event leaves through the outbox. While a person has it, the assistant does not reply.
/// </summary>
public static class ConversationHandoffEndpoint
{
    private const int MaxAttempts = 5;

    public static RouteGroupBuilder MapConversationHandoff(this RouteGroupBuilder api)
    {
        api.MapPost("/{id:guid}/handoff", ChangeHandoffAsync)
            .WithName("ChangeConversationHandoff")
            .WithSummary("An agent takes the conversation over, or hands it back to the assistant.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<ConversationHandoffResponse>, ValidationProblem, ProblemHttpResult>> ChangeHandoffAsync(
        Guid id, HandoffRequest? body, SaasDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (body?.Handoff is not (Handoff.Human or Handoff.Assistant))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["handoff"] = ["must be \"human\" or \"assistant\"."] });
        if (body.Handoff == Handoff.Human && body.AgentId is not { } agent)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = ["is required when handoff is \"human\"."] });
        // Another tenant's user is not found, like one that does not exist.
        if (body.AgentId is { } agentId && !await db.Users.AnyAsync(u => u.Id == agentId, cancellationToken))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = ["is not a user of this tenant."] });

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (conversation is null)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Conversation not found.");
            try
            {
                if (body.Handoff == Handoff.Human)
                    conversation.AssignAgent(body.AgentId!.Value, clock.GetUtcNow());
                else
                    conversation.HandBackToAssistant(clock.GetUtcNow());
            }
            catch (ConversationTransitionException ex)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: ex.Message);
            }
            foreach (var @event in conversation.TakeEvents())
                db.AddIntegrationEvent(@event);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(new ConversationHandoffResponse(conversation.Id, conversation.Handoff, conversation.AssignedAgentId, conversation.Version));
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Changed since we read it (a reply, the lifecycle task): read again and decide again.
            }
        }
    }
}

/// <param name="Handoff">human (an agent takes over; agentId required) or assistant (hand it back).</param>
/// <param name="AgentId">The agent (a user of the tenant) taking over.</param>
public sealed record HandoffRequest([property: Required] string? Handoff, Guid? AgentId);

public sealed record ConversationHandoffResponse(Guid Id, string Handoff, Guid? AssignedAgentId, int Version);
