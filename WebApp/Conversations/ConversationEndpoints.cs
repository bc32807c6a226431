namespace SaasAssistants.WebApp.Conversations;

public static class ConversationEndpoints
{
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
        return app;
    }
}
