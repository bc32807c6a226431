using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>Response headers, cookie flags, shared data-protection keys and the per-account lockout of the real WebApp.</summary>
public sealed class SecurityTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private AccountArrangement Rows => new(app.OwnerConnectionString);

    [Theory]
    [InlineData("/login")]
    [InlineData("/conversations")]
    public async Task Every_response_forbids_framing_and_content_sniffing(string path)
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Over_https_the_session_and_antiforgery_cookies_are_secure_and_over_http_they_still_work()
    {
        using var https = new BrowserClient(app.Factory);
        https.Http.BaseAddress = new Uri("https://localhost/");
        using var http = new BrowserClient(app.Factory);

        using var secure = await https.SignInAsync(app.Seed.AgentEmail, app.Seed.AgentPassword);
        using var plain = await http.SignInAsync(app.Seed.AgentEmail, app.Seed.AgentPassword);

        var secureCookies = secure.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(secureCookies, c => c.StartsWith(BrowserClient.SessionCookie, StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        var plainSession = Assert.Single(plain.Headers.GetValues("Set-Cookie"), c => c.StartsWith(BrowserClient.SessionCookie, StringComparison.Ordinal));
        Assert.DoesNotContain("secure", plainSession, StringComparison.OrdinalIgnoreCase);
        // A new visitor, so the form must issue its antiforgery cookie (a known visitor's is reused, not set again).
        using var visitor = new BrowserClient(app.Factory);
        visitor.Http.BaseAddress = new Uri("https://localhost/");
        using var antiforgery = await visitor.Http.GetAsync("/signup");
        var antiforgeryCookie = Assert.Single(antiforgery.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgeryCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_outside_development()
    {
        await using var production = new WebAppFactory(app.AppConnectionString, app.RabbitMQConnectionString, app.EncryptionKey,
            new Dictionary<string, string> { ["environment"] = "Production" });
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://crm.example.test/"), AllowAutoRedirect = false });

        using var response = await client.GetAsync("/login");

        Assert.Contains("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task A_session_cookie_issued_by_one_instance_is_accepted_by_another()
    {
        await using var second = new WebAppFactory(app.AppConnectionString, app.RabbitMQConnectionString, app.EncryptionKey);
        using var browser = await app.SignedInAsOwnAgentAsync();
        var cookies = new CookieContainerHandler();
        cookies.Container.Add(new Uri("http://localhost/"), new Cookie(BrowserClient.SessionCookie, browser.Session));
        using var onSecond = second.CreateDefaultClient(cookies);

        using var response = await onSecond.GetAsync("/conversations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"user-name\"", await response.Content.ReadAsStringAsync());
        Assert.True(await Rows.CountAsync("SELECT count(*) FROM data_protection_keys") >= 1);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var email = await Rows.AddUserAsync(app.Seed.TenantId, "agent");
        using var browser = new BrowserClient(app.Factory);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await browser.SignInAsync(email, $"wrong-password-{i}");
            Assert.Contains(i < 4 ? "The email or password is incorrect." : "This account is locked", await wrong.Content.ReadAsStringAsync());
        }

        using var right = await browser.SignInAsync(email, AccountArrangement.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await right.Content.ReadAsStringAsync());
        Assert.Contains("This account is locked after too many wrong passwords.", await right.Content.ReadAsStringAsync());
        Assert.Null(browser.Session);
        // Another account is not affected: the lock is per account, not per address.
        await browser.SignInOrFailAsync(app.Seed.AgentEmail, app.Seed.AgentPassword);
    }

    [Fact]
    public async Task A_right_password_before_the_limit_starts_the_count_again()
    {
        var email = await Rows.AddUserAsync(app.Seed.TenantId, "agent");
        using var browser = new BrowserClient(app.Factory);
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await browser.SignInAsync(email, "wrong-password");
        }
        await browser.SignInOrFailAsync(email, AccountArrangement.Password);
        using var fresh = new BrowserClient(app.Factory);
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await fresh.SignInAsync(email, "wrong-password");
        }

        await fresh.SignInOrFailAsync(email, AccountArrangement.Password);
    }

    [Fact]
    public async Task An_expired_lock_lets_the_right_password_in()
    {
        var email = await Rows.AddUserAsync(app.Seed.TenantId, "agent");
        await Rows.ExecuteAsync("UPDATE users SET locked_until = now() - interval '1 second' WHERE email = $1", email);
        using var browser = new BrowserClient(app.Factory);

        await browser.SignInOrFailAsync(email, AccountArrangement.Password);

        Assert.Null(await Rows.ScalarAsync("SELECT locked_until FROM users WHERE email = $1", email) as DateTime?);
    }
}
