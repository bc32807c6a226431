using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

public sealed class SignInTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_page_redirects_to_sign_in_when_signed_out()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.Http.GetAsync("/conversations");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fconversations", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_root_leads_to_the_conversations()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/conversations", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_and_sets_no_session_cookie()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.SignInAsync(app.Seed.AgentEmail, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"login-error\"", html);
        Assert.Contains("The email or password is incorrect.", html);
        Assert.DoesNotContain("not-the-password", html);
        Assert.Null(browser.Session);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(BrowserClient.SessionCookie));
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_as_a_wrong_password()
    {
        using var browser = new BrowserClient(app.Factory);

        using var unknown = await browser.SignInAsync("nobody@nowhere.test", "whatever-password");
        using var wrong = await browser.SignInAsync(app.Seed.AgentEmail, "whatever-password");

        Assert.Equal(ErrorOf(await wrong.Content.ReadAsStringAsync()), ErrorOf(await unknown.Content.ReadAsStringAsync()));
        Assert.Null(browser.Session);
    }

    [Fact]
    public async Task The_right_password_signs_in_and_returns_to_the_page_asked_for()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.SignInAsync(app.Seed.AgentEmail, app.Seed.AgentPassword, returnUrl: $"/conversations/{app.Own.ConversationId}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal($"/conversations/{app.Own.ConversationId}", response.Headers.Location!.AbsolutePath);
        Assert.NotNull(browser.Session);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(BrowserClient.SessionCookie));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_not_followed()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.SignInAsync(app.Seed.AgentEmail, app.Seed.AgentPassword, returnUrl: "//evil.example/phish");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/conversations", response.Headers.Location!.AbsolutePath);
        Assert.True(response.Headers.Location.IsAbsoluteUri is false || response.Headers.Location.Host == "localhost");
    }

    [Fact]
    public async Task An_agent_of_a_suspended_tenant_cannot_sign_in()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.SignInAsync(WebAppFixture.SuspendedAgentEmail, WebAppFixture.OtherPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This account is suspended.", await response.Content.ReadAsStringAsync());
        Assert.Null(browser.Session);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();
        var page = await browser.Http.GetStringAsync("/conversations");

        using var response = await browser.Http.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(browser.Session);
        using var after = await browser.Http.GetAsync("/conversations");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
    }

    [Fact]
    public async Task Signing_out_needs_the_antiforgery_token()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await browser.Http.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(browser.Session);
    }

    [Fact]
    public async Task The_sign_in_page_speaks_the_browser_s_language()
    {
        using var browser = new BrowserClient(app.Factory, language: "pt-BR");

        var html = await browser.Http.GetStringAsync("/login");

        Assert.Contains("<html lang=\"pt-BR\">", html);
        Assert.Contains(">Entrar</h1>", html);
        Assert.Contains("Senha", html);
    }

    private static string ErrorOf(string html)
    {
        var start = html.IndexOf("data-testid=\"login-error\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no sign-in error on the page");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }
}
