using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>Sign-up (seed 004's saga): organisation and owner together, or neither.</summary>
public sealed class SignUpTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private AccountArrangement Rows => new(app.OwnerConnectionString);

    private static async Task<HttpResponseMessage> SignUpAsync(BrowserClient browser, string organization, string email, string password = "a-long-password-1")
    {
        var form = await browser.Http.GetStringAsync("/signup");
        return await browser.Http.PostAsync("/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signup",
            ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(form),
            ["Input.OrganizationName"] = organization,
            ["Input.OwnerName"] = "Olga Owner",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    [Fact]
    public async Task The_login_page_links_to_sign_up()
    {
        using var browser = new BrowserClient(app.Factory);

        var login = await browser.Http.GetStringAsync("/login");

        Assert.Contains("href=\"/signup\"", login);
    }

    [Fact]
    public async Task Sign_up_creates_the_organisation_its_workspace_and_its_owner_and_signs_in()
    {
        var organization = $"Padaria {Guid.NewGuid():N}";
        var email = $"owner-{Guid.NewGuid():N}@signup.test";
        using var browser = new BrowserClient(app.Factory, "pt-BR");

        using var response = await SignUpAsync(browser, organization, email);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/conversations", response.Headers.Location!.AbsolutePath);
        Assert.NotNull(browser.Session);
        var tenantId = (Guid)(await Rows.ScalarAsync("SELECT id FROM tenants WHERE name = $1", organization))!;
        Assert.Equal("pt-BR", await Rows.ScalarAsync("SELECT language FROM tenants WHERE id = $1", tenantId));
        Assert.Equal(1, await Rows.CountAsync("SELECT count(*) FROM workspaces WHERE tenant_id = $1", tenantId));
        Assert.Equal("owner", await Rows.ScalarAsync("SELECT role FROM users WHERE tenant_id = $1 AND email = $2", tenantId, email));
        Assert.Equal(1, await Rows.CountAsync("SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND action = 'tenant.signed_up'", tenantId));
        // Signed in as the new owner: the settings page (owners and admins only) shows the new organisation.
        var settings = WebUtility.HtmlDecode(await browser.Http.GetStringAsync("/settings"));
        Assert.Contains(organization, settings);
        Assert.DoesNotContain("Demo", settings);
    }

    [Fact]
    public async Task A_taken_email_undoes_the_organisation_already_written()
    {
        var organization = $"Duplicada {Guid.NewGuid():N}";
        var tenantsBefore = await Rows.CountAsync("SELECT count(*) FROM tenants");
        using var browser = new BrowserClient(app.Factory);

        // The owner's insert fails on the unique email only after the tenant row was written: the transaction undoes it.
        using var response = await SignUpAsync(browser, organization, app.Seed.AgentEmail.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-error=\"email_taken\"", html);
        Assert.Contains("That email already has an account. Sign in instead.", html);
        Assert.Null(browser.Session);
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM tenants WHERE name = $1", organization));
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM workspaces WHERE name = $1", organization));
        Assert.Equal(tenantsBefore, await Rows.CountAsync("SELECT count(*) FROM tenants"));
        Assert.Equal(1, await Rows.CountAsync("SELECT count(*) FROM users WHERE lower(email) = lower($1)", app.Seed.AgentEmail));
    }

    [Theory]
    [InlineData("", "x@signup.test", "a-long-password-1", "missing_field")]
    [InlineData("Org", "not-an-email", "a-long-password-1", "invalid_email")]
    [InlineData("Org", "short@signup.test", "short", "password_too_short")]
    public async Task Bad_input_is_refused_with_its_reason_and_writes_nothing(string organization, string email, string password, string error)
    {
        var tenantsBefore = await Rows.CountAsync("SELECT count(*) FROM tenants");
        using var browser = new BrowserClient(app.Factory);

        using var response = await SignUpAsync(browser, organization, email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-error=\"{error}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(tenantsBefore, await Rows.CountAsync("SELECT count(*) FROM tenants"));
    }
}
