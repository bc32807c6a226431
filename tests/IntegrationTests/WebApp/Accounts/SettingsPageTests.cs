using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>The workspace settings: owners and admins change name, time zone and language; the plan is shown, not changed.</summary>
public sealed class SettingsPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private AccountArrangement Rows => new(app.OwnerConnectionString);

    /// <summary>A tenant of its own per test, so changing its settings disturbs no other test.</summary>
    private async Task<(Guid TenantId, BrowserClient Browser)> NewTenantAsync(string role, string language = "en-US")
    {
        var tenant = await app.Arrange.AddTenantAsync($"Settings {Guid.NewGuid():N}");
        var browser = new BrowserClient(app.Factory, language);
        await browser.SignInOrFailAsync(await Rows.AddUserAsync(tenant.TenantId, role, "Sam Settings"), AccountArrangement.Password);
        return (tenant.TenantId, browser);
    }

    private static async Task<HttpResponseMessage> SaveAsync(BrowserClient browser, string name, string timeZone, string language)
    {
        var page = await browser.Http.GetStringAsync("/settings");
        return await browser.Http.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page), ["name"] = name, ["timeZone"] = timeZone, ["language"] = language,
        }));
    }

    [Fact]
    public async Task An_owner_saves_name_time_zone_and_language_and_the_pages_follow()
    {
        var (tenantId, browser) = await NewTenantAsync("owner");
        using var _ = browser;

        using var response = await SaveAsync(browser, "Loja Nova", "America/Manaus", "pt-BR");

        Assert.Equal("/settings?saved=true", response.Headers.Location!.OriginalString);
        Assert.Equal("Loja Nova", await Rows.ScalarAsync("SELECT name FROM tenants WHERE id = $1", tenantId));
        Assert.Equal("America/Manaus", await Rows.ScalarAsync("SELECT time_zone FROM tenants WHERE id = $1", tenantId));
        Assert.Equal("pt-BR", await Rows.ScalarAsync("SELECT language FROM tenants WHERE id = $1", tenantId));
        Assert.Equal("{\"fields\": [\"name\", \"time_zone\", \"language\"]}",
            await Rows.ScalarAsync("SELECT details::text FROM audit_events WHERE tenant_id = $1 AND action = 'settings.updated'", tenantId));
        // The browser asks for English; the workspace's language wins from now on.
        var page = WebUtility.HtmlDecode(await browser.Http.GetStringAsync("/settings"));
        Assert.Contains("Configurações", page);
        Assert.Contains("<option value=\"America/Manaus\" selected", page);
        Assert.Contains("data-plan=\"trial\"", page);
    }

    [Fact]
    public async Task The_workspace_language_applies_at_the_next_sign_in_of_any_user()
    {
        var (tenantId, owner) = await NewTenantAsync("owner");
        using var _ = owner;
        await SaveAsync(owner, "Loja Idioma", "America/Sao_Paulo", "pt-BR");
        using var agent = new BrowserClient(app.Factory, "en-US");

        await agent.SignInOrFailAsync(await Rows.AddUserAsync(tenantId, "agent"), AccountArrangement.Password);

        Assert.Contains("Conversas", await agent.Http.GetStringAsync("/conversations"));
    }

    [Fact]
    public async Task An_agent_can_neither_see_nor_change_the_settings()
    {
        var (tenantId, browser) = await NewTenantAsync("agent");
        using var _ = browser;
        var token = BrowserClient.AntiforgeryToken(await browser.Http.GetStringAsync("/conversations"));

        using var page = await browser.Http.GetAsync("/settings");
        using var post = await browser.Http.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "Hijacked", ["timeZone"] = "UTC", ["language"] = "en",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.NotEqual("Hijacked", await Rows.ScalarAsync("SELECT name FROM tenants WHERE id = $1", tenantId));
    }

    [Theory]
    [InlineData("", "America/Sao_Paulo", "en", "name")]
    [InlineData("Loja", "Mars/Olympus_Mons", "en", "time_zone")]
    [InlineData("Loja", "America/Sao_Paulo", "fr", "language")]
    public async Task A_bad_value_is_refused_with_its_reason(string name, string timeZone, string language, string error)
    {
        var (tenantId, browser) = await NewTenantAsync("admin");
        using var _ = browser;
        var before = await Rows.ScalarAsync("SELECT name || time_zone FROM tenants WHERE id = $1", tenantId);

        using var response = await SaveAsync(browser, name, timeZone, language);

        Assert.Equal($"/settings?error={error}", response.Headers.Location!.OriginalString);
        Assert.Equal(before, await Rows.ScalarAsync("SELECT name || time_zone FROM tenants WHERE id = $1", tenantId));
    }
}
