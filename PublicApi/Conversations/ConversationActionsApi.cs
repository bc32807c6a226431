using Asp.Versioning.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Http;
using SaasAssistants.PublicApi.Idempotency;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>
/// What an agent does, through the API: start a conversation, send a message, close, take over or hand back. The same <see cref="AgentActions"/>
/// as the CRM, so the state machine, optimistic locking, outbox events and channel rules (WhatsApp's 24-hour window)
/// are the same. In v1 and v2 alike (v1's reads are deprecated, these are not).
/// </summary>
public static class ConversationActionsApi
{
    private const string StartOperation = "conversations.start";
    private const string SendOperation = "conversations.messages.create";

    public static RouteGroupBuilder MapConversationActions(this IVersionedEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ApiVersions.Route("/conversations"))
            .HasApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Conversations")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/", StartConversation).WithName("StartConversation").RequireScope(ApiScopes.ConversationsWrite)
            .WithSummary("Starts a conversation with a contact on a WhatsApp or Instagram channel, with its first message.")
            .WithDescription("Answers 201 with the conversation and the message, which is delivered by the channel (its deliveryStatus follows). " +
                "On WhatsApp a business may only write first with a template. 409 when the contact already has an open conversation " +
                "(its id is in the problem's conversationId). Send an Idempotency-Key header: a retry with the same key and body returns the " +
                "conversation started the first time; the same key with another body is 422.")
            .Accepts<StartConversationRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/{id:guid}/messages", SendMessage).WithName("SendConversationMessage").RequireScope(ApiScopes.ConversationsWrite)
            .WithSummary("Sends a message to the customer as an agent; the conversation is taken over (handoff human).")
            .WithDescription("Answers 201 with the message. WhatsApp outside the customer's 24-hour window accepts a template only " +
                "(409 outside_service_window otherwise); a closed conversation is 409 conversation_ended. Send an Idempotency-Key " +
                "header: a retry with the same key and body returns the message sent the first time; the same key with another body is 422.")
            .Accepts<SendMessageRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/{id:guid}/close", CloseConversation).WithName("CloseConversation").RequireScope(ApiScopes.ConversationsWrite)
            .WithSummary("Closes a conversation; the customer's next message opens a new one. Closing a closed conversation changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapConversationHandoff();
        return api;
    }

    public static async Task<Results<Created<StartedConversationResponse>, ValidationProblem, ProblemHttpResult>> StartConversation(
        [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey, HttpRequest request, SaasDbContext db, AgentActions actions,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<StartConversationRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = IdempotentCreation.Validate(idempotencyKey) ?? [];
        if (body!.ChannelId is null)
        {
            errors["channelId"] = ["is required."];
        }
        if (body.ContactId is not null && body.Contact is not null)
        {
            errors["contact"] = ["give contactId or contact, not both."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var hash = CanonicalJson.Hash(body);
        var outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, StartOperation, hash, cancellationToken);
        if (outcome is IdempotencyOutcome.New)
        {
            var start = new OutboundConversation(body.ChannelId!.Value, body.ContactId, body.Contact?.ExternalId, body.Contact?.Name,
                new AgentReply(body.Text, body.AgentId, body.Template?.ToTemplate()));
            try
            {
                var result = await actions.StartAsync(start, cancellationToken,
                    (conversation, _) => KeepKey(db, idempotencyKey, StartOperation, hash, conversation.Id));
                if (!result.Succeeded)
                {
                    return AgentActionProblems.From(result);
                }
                return await StartedAsync(request, db, result.Conversation!.Id, cancellationToken);
            }
            catch (DbUpdateException ex) when (IsKeyRace(ex))
            {
                db.ChangeTracker.Clear();
                outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, StartOperation, hash, cancellationToken);
            }
        }
        return outcome switch
        {
            IdempotencyOutcome.Replay replay => await StartedAsync(request, db, replay.ResourceId, cancellationToken),
            _ => KeyReused(),
        };
    }

    public static async Task<Results<Created<MessageResponse>, ValidationProblem, ProblemHttpResult>> SendMessage(
        Guid id, [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey, HttpRequest request, SaasDbContext db,
        AgentActions actions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<SendMessageRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (IdempotentCreation.Validate(idempotencyKey) is { } keyErrors)
        {
            return TypedResults.ValidationProblem(keyErrors);
        }

        // The conversation is part of the request: the same key and body on another conversation is another request.
        var hash = CanonicalJson.Hash(new { conversationId = id, body });
        var outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, SendOperation, hash, cancellationToken);
        if (outcome is IdempotencyOutcome.New)
        {
            try
            {
                var result = await actions.ReplyAsync(id, body!.ToReply(), cancellationToken,
                    message => KeepKey(db, idempotencyKey, SendOperation, hash, message.Id));
                return result.Succeeded ? Sent(request, result.Message!) : AgentActionProblems.From(result);
            }
            catch (DbUpdateException ex) when (IsKeyRace(ex))
            {
                db.ChangeTracker.Clear();
                outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, SendOperation, hash, cancellationToken);
            }
        }
        if (outcome is IdempotencyOutcome.Replay replay
            && await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == replay.ResourceId, cancellationToken) is { } sent)
        {
            return Sent(request, sent);
        }
        return KeyReused();
    }

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> CloseConversation(
        Guid id, SaasDbContext db, AgentActions actions, CancellationToken cancellationToken)
    {
        var result = await actions.CloseAsync(id, cancellationToken);
        if (!result.Succeeded)
        {
            return AgentActionProblems.From(result);
        }
        db.ChangeTracker.Clear();
        return TypedResults.Ok(await db.Conversations.AsNoTracking().Where(c => c.Id == id).Select(ConversationsApi.ToResponse).SingleAsync(cancellationToken));
    }

    /// <summary>The key row joins the action's own SaveChanges, so a key never points at nothing.</summary>
    private static void KeepKey(SaasDbContext db, string? key, string operation, string hash, Guid resourceId)
    {
        if (key is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKey { Key = key, Operation = operation, RequestHash = hash, ResourceId = resourceId });
        }
    }

    /// <summary>A concurrent request with the same key won the insert: answer as its replay (or as a misuse).</summary>
    private static bool IsKeyRace(DbUpdateException ex)
        => ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "idempotency_keys" };

    private static async Task<Results<Created<StartedConversationResponse>, ValidationProblem, ProblemHttpResult>> StartedAsync(
        HttpRequest request, SaasDbContext db, Guid conversationId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId).Select(ConversationsApi.ToResponse)
            .SingleAsync(cancellationToken);
        var first = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && m.Direction == Contracts.Messages.MessageDirection.Outbound)
            .OrderBy(m => m.CreatedAt).FirstAsync(cancellationToken);
        return TypedResults.Created($"{request.PathBase}{request.Path.Value!.TrimEnd('/')}/{conversationId}",
            new StartedConversationResponse(conversation, MessageResponse.From(first)));
    }

    /// <summary>Location: the conversation's messages, in the version the request used.</summary>
    private static Created<MessageResponse> Sent(HttpRequest request, Message message)
        => TypedResults.Created($"{request.PathBase}{request.Path.Value!.TrimEnd('/')}", MessageResponse.From(message));

    private static ProblemHttpResult KeyReused()
        => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
            detail: $"This {IdempotentCreation.Header} was already used for a different request; send a new key for a new one.",
            extensions: new Dictionary<string, object?> { ["code"] = "idempotency_key_reused" });
}
