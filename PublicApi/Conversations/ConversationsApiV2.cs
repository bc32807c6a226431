using Asp.Versioning.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Media;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>
/// v2's conversation reads: cursor pages (stable while new conversations and messages arrive, no counting) and the
/// full message content. The conversation itself is v1's <see cref="ConversationResponse"/>, so fields added to it
/// reach both versions.
/// </summary>
public static class ConversationsApiV2
{
    public static RouteGroupBuilder MapConversationsApiV2(this IVersionedEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ApiVersions.Route("/conversations"))
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Conversations")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/", ListConversations)
            .WithName("ListConversationsV2")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Lists conversations, most recent activity first, a page at a time (follow nextCursor).");
        api.MapGet("/{id:guid}", ConversationsApi.GetConversation)
            .WithName("GetConversationV2")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Gets one conversation.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/messages", ListMessages)
            .WithName("ListConversationMessagesV2")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Lists a conversation's messages, oldest first, with their full content, a page at a time (follow nextCursor).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/attachments/{attachmentId:guid}", GetAttachment)
            .WithName("GetConversationAttachmentV2")
            .RequireScope(ApiScopes.ConversationsRead)
            .WithSummary("Downloads a file a customer sent in the conversation, once stored (a message's attachments[].url).")
            // The response's Content-Type is the stored file's own checked type (an image, audio, video or document);
            // the document says octet-stream, since ASP.NET's response metadata takes no wildcard.
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<CursorPage<ConversationResponse>>, ValidationProblem>> ListConversations(
        [AsParameters] CursorRequest page, SaasDbContext db, CancellationToken cancellationToken)
    {
        if (page.Validate(out var after) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Conversations.AsNoTracking();
        if (after is { } position)
        {
            query = query.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.LastMessageAt, c.Id), ValueTuple.Create(position.At, position.Id)));
        }

        var rows = await query
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .Take(page.Limit + 1)
            .Select(ConversationsApi.ToResponse)
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(CursorPage<ConversationResponse>.From(rows, page.Limit, c => new PageCursor(c.LastMessageAt, c.Id)));
    }

    public static async Task<Results<Ok<CursorPage<MessageResponseV2>>, ValidationProblem, ProblemHttpResult>> ListMessages(
        Guid id, [AsParameters] CursorRequest page, SaasDbContext db, CancellationToken cancellationToken)
    {
        if (page.Validate(out var after) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ConversationsApi.ConversationNotFound();
        }

        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == id);
        if (after is { } position)
        {
            query = query.Where(m => EF.Functions.GreaterThan(ValueTuple.Create(m.CreatedAt, m.Id), ValueTuple.Create(position.At, position.Id)));
        }

        var rows = await query
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Take(page.Limit + 1)
            .ToArrayAsync(cancellationToken);
        var ids = rows.Select(m => m.Id).ToList();
        var attachments = (await db.MessageMedia.AsNoTracking().Where(m => ids.Contains(m.MessageId))
                .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken))
            .ToLookup(m => m.MessageId, m => AttachmentResponse.From(m, id));
        var messages = Array.ConvertAll(rows, m => MessageResponseV2.From(m, [.. attachments[m.Id]]));
        return TypedResults.Ok(CursorPage<MessageResponseV2>.From(messages, page.Limit, m => new PageCursor(m.CreatedAt, m.Id)));
    }

    // The stored bytes, always as a download with their checked type (a partner may hand the URL to a browser; a
    // customer's HTML or SVG must not render as a page). Another conversation's or tenant's file is 404 like a missing one.
    // (A plain comment: the OpenAPI document would take an XML summary here as the operation's summary.)
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAttachment(
        Guid id, Guid attachmentId, SaasDbContext db, IMediaStorage storage, HttpResponse response, CancellationToken cancellationToken)
    {
        var media = await db.MessageMedia.AsNoTracking()
            .Where(m => m.Id == attachmentId && m.Status == MediaStatuses.Stored
                && db.Messages.Any(message => message.Id == m.MessageId && message.ConversationId == id))
            .SingleOrDefaultAsync(cancellationToken);
        if (media is null || await storage.ReadAsync(media.Id, cancellationToken) is not { } content)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: "Attachment not found in this conversation, or not stored yet (see its status in the message's attachments).");
        }

        // Opened in a browser anyway, the bytes are never sniffed into another type and run nothing.
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox";
        return TypedResults.File(content, media.ContentType ?? "application/octet-stream", MediaFileNames.DownloadName(media));
    }
}
