using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Localization;

namespace SaasAssistants.WebApp.Settings;

public static class SettingsEndpoints
{
    public const string Path = "/settings";

    /// <summary>The settings form (owners and admins only, enforced here, not just by hiding the link).</summary>
    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async ([FromForm] string? name, [FromForm] string? timeZone, [FromForm] string? language, ClaimsPrincipal user,
            SettingsService settings, HttpContext context, CancellationToken cancellationToken) =>
        {
            if (await settings.SaveAsync(name, timeZone, language, user, cancellationToken) is { } error)
            {
                return Results.LocalRedirect($"{Path}?error={error}");
            }
            // The saver sees the new language at once; the others at their next sign-in.
            LanguageCookie.Apply(context.Response, string.IsNullOrEmpty(language) ? null : language);
            return Results.LocalRedirect($"{Path}?saved=true");
        }).RequireAuthorization(SaasPolicies.ManageWorkspace);
        return app;
    }
}
