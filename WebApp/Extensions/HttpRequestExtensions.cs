namespace SaasAssistants.WebApp;

public static class HttpRequestExtensions
{
    /// <summary>Requests of the page scripts (JSON API, SignalR): they get status codes, never HTML pages or redirects.</summary>
    public static bool IsForScript(this HttpRequest request)
        => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}
