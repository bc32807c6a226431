using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Conversations;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.ApiKeys;

/// <summary>
/// Revoking a key (creating one is the page's own form, because the new key must be shown in that very answer and
/// nowhere else). Owners and admins only; antiforgery checked.
/// </summary>
public static class ApiKeyEndpoints
{
    public const string Page = "/api-keys";

    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost($"{Page}/{{keyId:guid}}/revoke", async (Guid keyId, ApiKeyManager keys, HttpContext context, CancellationToken cancellationToken)
            => await keys.RevokeAsync(keyId, cancellationToken) ? FormResponses.Done(context, Page) : FormResponses.NotFound())
            .RequireAuthorization(SaasPolicies.ManageWorkspace)
            .WithFormAntiforgery();
        return app;
    }
}
