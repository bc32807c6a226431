using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

public sealed class SessionTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Suspending_a_tenant_ends_its_agents_sessions()
    {
        var tenant = await app.Arrange.AddTenantAsync("Soon Suspended");
        await app.Arrange.AddUserAsync(tenant.TenantId, "agent@soon-suspended.test", WebAppFixture.OtherPassword);
        using var browser = new BrowserClient(app.Factory);
        await browser.SignInOrFailAsync("agent@soon-suspended.test", WebAppFixture.OtherPassword);
        using var before = await browser.Http.GetAsync("/conversations");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await app.Arrange.SetStatusAsync(tenant.TenantId, "suspended");
        using var after = await browser.Http.GetAsync("/conversations");

        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location!.PathAndQuery);
        Assert.Null(browser.Session);
    }

    [Fact]
    public async Task A_static_file_does_not_recheck_the_session_but_the_next_page_does()
    {
        var tenant = await app.Arrange.AddTenantAsync("Suspended Between Files");
        await app.Arrange.AddUserAsync(tenant.TenantId, "agent@suspended-between-files.test", WebAppFixture.OtherPassword);
        using var browser = new BrowserClient(app.Factory);
        await browser.SignInOrFailAsync("agent@suspended-between-files.test", WebAppFixture.OtherPassword);

        await app.Arrange.SetStatusAsync(tenant.TenantId, "suspended");
        // Were the session checked here, the suspended tenant's cookie would be cleared now.
        using var stylesheet = await browser.Http.GetAsync("/app.css");
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
        Assert.NotNull(browser.Session);

        using var page = await browser.Http.GetAsync("/conversations");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);
        Assert.Null(browser.Session);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client()
    {
        await using var factory = new WebAppFactory(app.AppConnectionString, app.RabbitMQConnectionString, app.EncryptionKey,
            new Dictionary<string, string> { ["Account:SignInAttemptsPerMinute"] = "2" });
        using var browser = new BrowserClient(factory);

        using var first = await browser.SignInAsync(app.Seed.AgentEmail, "guess-1");
        using var second = await browser.SignInAsync(app.Seed.AgentEmail, "guess-2");
        using var third = await browser.SignInAsync(app.Seed.AgentEmail, app.Seed.AgentPassword);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("Too many sign-in attempts", await third.Content.ReadAsStringAsync());
        Assert.Null(browser.Session);
    }
}
