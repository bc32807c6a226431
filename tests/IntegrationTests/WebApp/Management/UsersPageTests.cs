using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SaasAssistants.WebApp.Users;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>The users page: invitations (a single-use link), roles with the owner rules, and removal that ends sessions and live connections.</summary>
public sealed partial class UsersPageTests(ManagementFixture app) : IClassFixture<ManagementFixture>
{
    private const string Password = "a-good-password-1";

    private async Task<(Guid Id, string Email)> AddUserAsync(string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@demo.test";
        await app.Arrange.AddUserAsync(app.Seed.TenantId, email, Password, $"Some {role}");
        var id = await app.Rows.UserIdAsync(email);
        await app.Rows.ScalarAsync<int>("UPDATE users SET role = $2 WHERE id = $1 RETURNING 1", id, role);
        return (id, email);
    }

    private static async Task<(HttpResponseMessage Response, string Html)> InviteAsync(BrowserClient browser, string email, string role)
    {
        var response = await ManagementForms.PostAsync(browser, "/users", [new("_handler", "invite"), new("email", email), new("role", role)]);
        return (response, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private Task<string> RoleAsync(Guid userId) => app.Rows.ScalarAsync<string>("SELECT role FROM users WHERE id = $1", userId);

    [Fact]
    public async Task An_invitation_link_works_once_and_signs_the_new_user_in_with_the_invited_role()
    {
        using var admin = await app.SignedInAsAdminAsync();
        var email = $"new-agent-{Guid.NewGuid():N}@demo.test";

        var (response, html) = await InviteAsync(admin, email, "agent");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no mail server", html);
        var link = LinkPattern().Match(html);
        Assert.True(link.Success, "the page shows the invitation link");
        var token = link.Groups[1].Value;
        Assert.Equal(InvitationTokens.Hash(token), await app.Rows.ScalarAsync<byte[]>("SELECT token_hash FROM user_invitations WHERE email = $1", email));
        Assert.DoesNotContain(token, await ManagementForms.PageAsync(admin, "/users"));

        using var invitee = new BrowserClient(app.Factory);
        var invitationPage = await invitee.Http.GetStringAsync($"/invitations/{token}");
        Assert.Contains(email, invitationPage);
        using var accepted = await invitee.Http.PostAsync($"/invitations/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "accept-invitation", ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(invitationPage),
            ["displayName"] = "Nova Atendente", ["password"] = Password,
        }));

        Assert.Equal(HttpStatusCode.Found, accepted.StatusCode);
        Assert.Equal("/conversations", accepted.Headers.Location?.AbsolutePath);
        Assert.NotNull(invitee.Session);
        Assert.Contains("Nova Atendente", await invitee.Http.GetStringAsync("/conversations"));
        var userId = await app.Rows.UserIdAsync(email);
        Assert.Equal(("agent", app.Seed.TenantId), (await RoleAsync(userId), await app.Rows.ScalarAsync<Guid>("SELECT tenant_id FROM users WHERE id = $1", userId)));

        using var again = new BrowserClient(app.Factory);
        using var second = await again.Http.GetAsync($"/invitations/{token}");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.DoesNotContain("accept-form", await second.Content.ReadAsStringAsync());
        using var signIn = await again.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
    }

    [Fact]
    public async Task Bad_invitations_are_refused_an_admin_cannot_invite_an_owner_and_a_revoked_link_does_not_work()
    {
        using var admin = await app.SignedInAsAdminAsync();

        var (badEmail, badEmailHtml) = await InviteAsync(admin, "not an e-mail", "agent");
        var (badRole, _) = await InviteAsync(admin, $"x-{Guid.NewGuid():N}@demo.test", "superuser");
        var (owner, ownerHtml) = await InviteAsync(admin, $"y-{Guid.NewGuid():N}@demo.test", "owner");
        var (taken, _) = await InviteAsync(admin, app.AgentEmail, "agent");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Conflict),
            (badEmail.StatusCode, badRole.StatusCode, owner.StatusCode, taken.StatusCode));
        Assert.Contains("data-error=\"email\"", badEmailHtml);
        Assert.Contains("data-error=\"owner_only\"", ownerHtml);

        var email = $"revoked-{Guid.NewGuid():N}@demo.test";
        var token = LinkPattern().Match((await InviteAsync(admin, email, "agent")).Html).Groups[1].Value;
        var invitationId = await app.Rows.ScalarAsync<Guid>("SELECT id FROM user_invitations WHERE email = $1", email);
        using var revoke = await ManagementForms.PostAsync(admin, $"/users/invitations/{invitationId}/revoke");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        using var anonymous = new BrowserClient(app.Factory);
        using var page = await anonymous.Http.GetAsync($"/invitations/{token}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    [Fact]
    public async Task Only_an_owner_changes_owners_and_the_last_owner_can_be_neither_demoted_nor_removed()
    {
        var agent = await AddUserAsync("agent");
        var owner = await AddUserAsync("owner");
        using var admin = await app.SignedInAsAdminAsync();

        using var promoted = await ManagementForms.PostAsync(admin, $"/users/{agent.Id}/role", new Dictionary<string, string> { ["role"] = "admin" });
        using var makeOwner = await ManagementForms.PostAsync(admin, $"/users/{agent.Id}/role", new Dictionary<string, string> { ["role"] = "owner" }, json: true);
        using var demoteOwner = await ManagementForms.PostAsync(admin, $"/users/{owner.Id}/role", new Dictionary<string, string> { ["role"] = "agent" }, json: true);
        using var removeOwner = await ManagementForms.PostAsync(admin, $"/users/{owner.Id}/remove", [], json: true);

        Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        Assert.Equal("admin", await RoleAsync(agent.Id));
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict), (makeOwner.StatusCode, demoteOwner.StatusCode, removeOwner.StatusCode));
        Assert.Equal("owner_only", (await demoteOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("owner", await RoleAsync(owner.Id));

        using var asOwner = await app.SignedInAsync(owner.Email, Password);
        using var demoteLast = await ManagementForms.PostAsync(asOwner, $"/users/{owner.Id}/role", new Dictionary<string, string> { ["role"] = "admin" }, json: true);
        Assert.Equal(HttpStatusCode.Conflict, demoteLast.StatusCode);
        Assert.Equal("last_owner", (await demoteLast.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // With a second owner, the first may step down.
        using var second = await ManagementForms.PostAsync(asOwner, $"/users/{agent.Id}/role", new Dictionary<string, string> { ["role"] = "owner" });
        using var stepDown = await ManagementForms.PostAsync(asOwner, $"/users/{owner.Id}/role", new Dictionary<string, string> { ["role"] = "admin" });
        Assert.Equal(("owner", "admin"), (await RoleAsync(agent.Id), await RoleAsync(owner.Id)));
        // The demoted owner's own session follows at its next request: it may still manage (admin), but no longer owners.
        using var noLongerOwner = await ManagementForms.PostAsync(asOwner, $"/users/{agent.Id}/role", new Dictionary<string, string> { ["role"] = "agent" }, json: true);
        Assert.Equal(HttpStatusCode.Conflict, noLongerOwner.StatusCode);
        await app.Rows.ScalarAsync<int>("UPDATE users SET role = 'agent' WHERE id = ANY($1) RETURNING 1", new[] { agent.Id, owner.Id });
    }

    [Fact]
    public async Task A_removed_user_is_out_at_the_next_request_and_their_live_connection_ends_while_others_stay()
    {
        var removed = await AddUserAsync("agent");
        using var admin = await app.SignedInAsAdminAsync();
        using var victim = await app.SignedInAsync(removed.Email, Password);
        await using var victimHub = await HubTestClient.ConnectAsync(app.Factory, victim.CookieHeader);
        await using var adminHub = await HubTestClient.ConnectAsync(app.Factory, admin.CookieHeader);

        using var remove = await ManagementForms.PostAsync(admin, $"/users/{removed.Id}/remove");

        Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        Assert.True(await victimHub.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the removed user's hub connection ends");
        using var next = await victim.Http.GetAsync("/conversations");
        Assert.Equal(HttpStatusCode.Found, next.StatusCode);
        Assert.StartsWith("/login", next.Headers.Location!.PathAndQuery);
        using var signIn = await new BrowserClient(app.Factory).SignInAsync(removed.Email, Password);
        Assert.NotEqual(HttpStatusCode.Found, signIn.StatusCode);
        // The admin's connection is still open: it answers (a refusal, for a conversation that does not exist).
        Assert.Contains("not found", await adminHub.InvokeAsync("JoinConversation", Guid.NewGuid()));
        Assert.DoesNotContain(removed.Email, await ManagementForms.PageAsync(admin, "/users"));
        Assert.True(await app.Rows.ScalarAsync<bool>("SELECT removed_at IS NOT NULL FROM users WHERE id = $1", removed.Id));
        Assert.Equal(1L, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE event_type = 'UserRemoved' AND payload->>'userId' = $1", removed.Id.ToString()));

        using var self = await ManagementForms.PostAsync(admin, $"/users/{await app.Rows.UserIdAsync(app.Seed.AgentEmail)}/remove", [], json: true);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
    }

    [GeneratedRegex("/invitations/([A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
