namespace SaasAssistants.WebApp.Components;

public static class NotFoundExtensions
{
    public const string Path = "/not-found"; // the route of NotFound.razor

    /// <summary>
    /// An unknown page address renders the NotFound page. Scripts keep their bare status codes: a 404 from the JSON API
    /// or a 401 from the hub must not turn into HTML. Call before authentication, so the re-run request is scoped anew.
    /// </summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app)
        => app.UseWhen(context => !context.Request.IsForScript(),
            page => page.UseStatusCodePagesWithReExecute(Path, createScopeForStatusCodePages: true));
}
