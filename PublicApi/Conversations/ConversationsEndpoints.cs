using SaasAssistants.PublicApi.Conversations;

namespace Microsoft.AspNetCore.Builder;

public static class ConversationsEndpoints
{
    /// <summary>One versioned API: v1's and v2's groups share the route, and the URL's version picks the endpoint.</summary>
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var conversations = app.NewVersionedApi("Conversations");
        conversations.MapConversationsApiV1();
        conversations.MapConversationsApiV2();
        conversations.MapConversationActions();
        return app;
    }
}
