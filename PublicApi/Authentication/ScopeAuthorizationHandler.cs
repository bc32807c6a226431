using Microsoft.AspNetCore.Authorization;

namespace SaasAssistants.PublicApi.Authentication;

/// <summary>The endpoint needs <see cref="Scope"/>.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>Both credentials carry their scopes as one space-separated "scope" claim (API key and access token alike).</summary>
public sealed class ScopeAuthorizationHandler(IHttpContextAccessor http) : AuthorizationHandler<ScopeRequirement>
{
    /// <summary>Where the 403 problem finds the scope that was missing.</summary>
    public const string MissingScopeItem = "PublicApi.MissingScope";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var granted = context.User.FindAll(ApiScopes.ClaimType).SelectMany(c => ApiScopes.Split(c.Value));
        if (granted.Contains(requirement.Scope, StringComparer.Ordinal))
        {
            context.Succeed(requirement);
        }
        else if (http.HttpContext is { } request)
        {
            request.Items[MissingScopeItem] = requirement.Scope;
        }

        return Task.CompletedTask;
    }
}
