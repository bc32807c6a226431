using System.Linq.Expressions;
using Asp.Versioning.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>
/// Read access to the tenant's conversations. Tenant scoping is not written here: the API key's tenant is in the
/// scope, so SaasDbContext's filters (and row level security underneath) hide every other tenant's rows, and another
/// tenant's conversation is simply not found (a 404, never a 403 that would confirm it exists).
/// </summary>
public static class ConversationsApi
{
    /// <summary>v1's reads, deprecated in favour of v2's (cursor pages, full message content); they keep working until the sunset.</summary>
    public static RouteGroupBuilder MapConversationsApiV1(this IVersionedEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ApiVersions.Route("/conversations"))
            .HasApiVersion(ApiVersions.V1)
            .DeprecatedInFavourOf(ApiVersions.V2)
            .WithTags("Conversations")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/", ListConversations)
            .WithName("ListConversations")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Lists conversations, most recent activity first.")
            .WithTotalCountHeader("conversations");
        api.MapGet("/{id:guid}", GetConversation)
            .WithName("GetConversation")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Gets one conversation.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/messages", ListMessages)
            .WithName("ListConversationMessages")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Lists a conversation's messages, oldest first.")
            .WithTotalCountHeader("messages in the conversation")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<ConversationResponse[]>, ValidationProblem>> ListConversations(
        [AsParameters] PageRequest page, SaasDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (page.Validate() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var conversations = await db.Conversations.AsNoTracking()
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .ToPageAsync(ToResponse, page, response, cancellationToken);
        return TypedResults.Ok(conversations);
    }

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> GetConversation(
        Guid id, SaasDbContext db, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(ToResponse)
            .FirstOrDefaultAsync(cancellationToken);
        return conversation is null ? ConversationNotFound() : TypedResults.Ok(conversation);
    }

    public static async Task<Results<Ok<MessageResponse[]>, ValidationProblem, ProblemHttpResult>> ListMessages(
        Guid id, [AsParameters] PageRequest page, SaasDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (page.Validate() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ConversationNotFound();
        }

        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToPageAsync(m => m, page, response, cancellationToken);
        return TypedResults.Ok(Array.ConvertAll(messages, MessageResponse.From));
    }

    internal static readonly Expression<Func<Conversation, ConversationResponse>> ToResponse = c =>
        new ConversationResponse(
            c.Id,
            c.ChannelId,
            c.Channel!.Type,
            new ContactResponse(c.Contact!.Id, c.Contact.ExternalId, c.Contact.DisplayName),
            c.Status,
            c.CreatedAt,
            c.LastMessageAt,
            c.State,
            c.Handoff,
            c.AssignedAgentId,
            c.Summary,
            c.HandoffReason);

    internal static ProblemHttpResult ConversationNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Conversation not found.");
}
