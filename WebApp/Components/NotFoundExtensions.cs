using Microsoft.AspNetCore.Diagnostics;

namespace SaasAssistants.WebApp.Components;

public static class NotFoundExtensions
{
    public const string Path = "/not-found"; // the route of NotFound.razor

    /// <summary>
    /// An unknown page address renders the NotFound page. Scripts keep the platform's problem details instead: a 404 of
    /// the JSON API or a 401 of the hub must not turn into HTML. Call before authentication, so the re-run request is
    /// scoped and authenticated anew.
    /// </summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app)
    {
        app.UseStatusCodePagesWithReExecute(Path, createScopeForStatusCodePages: true);
        return app.Use((context, next) =>
        {
            if (context.Request.IsForScript() && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
    }
}
