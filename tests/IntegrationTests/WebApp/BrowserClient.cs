using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>An HTTP client that keeps cookies like a browser but shows redirects instead of following them.</summary>
public sealed partial class BrowserClient : IDisposable
{
    public const string SessionCookie = "saas.session";

    private readonly CookieContainerHandler _cookies = new();

    public BrowserClient(WebAppFactory factory, string language = "en-US")
    {
        Http = factory.CreateDefaultClient(_cookies);
        Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
    }

    public HttpClient Http { get; }

    public string? Session => _cookies.Container.GetCookies(Http.BaseAddress!)[SessionCookie]?.Value;

    /// <summary>The Cookie header a browser would send (for the hub's WebSocket).</summary>
    public string CookieHeader => _cookies.Container.GetCookieHeader(Http.BaseAddress!);

    /// <summary>Fills in and posts the sign-in form, as a browser would after GET /login.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/conversations")
    {
        var path = $"/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await Http.GetStringAsync(path);
        return await Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    public async Task SignInOrFailAsync(string email, string password)
    {
        using var response = await SignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Found || Session is null)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode}");
        }
    }

    public static string AntiforgeryToken(string html)
        => TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
