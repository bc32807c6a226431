using SaasAssistants.Database.Media;

namespace SaasAssistants.WebApp.Conversations;

public static class ConversationEndpoints
{
    private static readonly HashSet<string> InlineImageTypes = new(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/gif", "image/webp" };

    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/conversations")).ExcludeFromDescription();

        // The page scripts' catch-up after a (re)connect: whatever happened while they were not listening.
        var api = app.MapGroup("/api/conversations").RequireAuthorization();
        api.MapGet("/", async (ConversationReader reader, CancellationToken cancellationToken)
            => (await reader.ListRecentAsync(cancellationToken)).Select(ConversationListItem.From));
        api.MapGet("/{conversationId:guid}", async (Guid conversationId, ConversationReader reader, CancellationToken cancellationToken)
            => await reader.FindListItemAsync(conversationId, cancellationToken) is { } summary
                ? Results.Ok(ConversationListItem.From(summary))
                : Results.NotFound());
        api.MapGet("/{conversationId:guid}/messages", async (Guid conversationId, DateTimeOffset? after, ConversationReader reader, CancellationToken cancellationToken)
            => await reader.ExistsAsync(conversationId, cancellationToken)
                ? Results.Ok(await reader.ListMessagesAsync(conversationId, after, cancellationToken))
                : Results.NotFound());
        api.MapGet("/{conversationId:guid}/media/{mediaId:guid}", async (Guid conversationId, Guid mediaId, ConversationReader reader,
            IMediaStorage storage, CancellationToken cancellationToken) =>
        {
            if (await reader.FindStoredMediaAsync(conversationId, mediaId, cancellationToken) is not { } media
                || await storage.ReadAsync(mediaId, cancellationToken) is not { } content)
            {
                return Results.NotFound();
            }
            // A customer's file is served from our origin: only raster images inline, anything else (SVG, HTML, PDF) as a download.
            var contentType = media.ContentType ?? "application/octet-stream";
            return InlineImageTypes.Contains(contentType)
                ? Results.File(content, contentType)
                : Results.File(content, contentType, MediaFileNames.DownloadName(media));
        });
        return app;
    }
}
