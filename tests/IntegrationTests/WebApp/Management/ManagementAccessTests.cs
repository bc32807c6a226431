using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>RBAC on the server: an agent gets 403 on every management page and form, whatever the navigation shows.</summary>
public sealed class ManagementAccessTests(ManagementFixture app) : IClassFixture<ManagementFixture>
{
    private static readonly string[] Pages = ["/channels", "/api-keys", "/assistants", "/knowledge", "/users"];

    [Fact]
    public async Task An_agent_is_refused_every_management_page_and_form_and_nothing_changes()
    {
        using var agent = await app.SignedInAsAgentAsync();
        var (_, _, channelId) = await app.Rows.SeededChannelAsync(app.Seed.TenantId, "web");
        var assistantId = await app.Rows.ScalarAsync<Guid>("SELECT id FROM assistants WHERE tenant_id = $1 LIMIT 1", app.Seed.TenantId);
        var keyId = await app.Rows.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE tenant_id = $1 LIMIT 1", app.Seed.TenantId);
        var adminId = await app.Rows.UserIdAsync(app.Seed.AgentEmail);
        var agentId = await app.Rows.UserIdAsync(app.AgentEmail);

        foreach (var page in Pages.Concat([$"/assistants/{assistantId}", $"/knowledge/{Guid.NewGuid()}", $"/knowledge/{Guid.NewGuid()}/documents",
            $"/assistants/{assistantId}/console/{Guid.NewGuid()}"]))
        {
            using var response = await agent.Http.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {page}: {(int)response.StatusCode}");
        }

        var posts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/channels", new() { ["kind"] = "web", ["name"] = "Agent's channel" }),
            ($"/channels/{channelId}", new() { ["name"] = "Renamed by agent" }),
            ($"/channels/{channelId}/disable", new()),
            ("/api-keys", new() { ["_handler"] = "create-key", ["name"] = "Agent's key" }),
            ($"/api-keys/{keyId}/revoke", new()),
            ("/assistants", new() { ["name"] = "Agent's bot", ["systemPrompt"] = "x" }),
            ($"/assistants/{assistantId}", new() { ["name"] = "Renamed", ["systemPrompt"] = "x" }),
            ("/assistants/budget", new() { ["monthlyBudgetUsd"] = "0" }),
            ($"/assistants/{assistantId}/console", new() { ["text"] = "hi" }),
            ("/knowledge", new() { ["name"] = "Agent's base" }),
            ("/users", new() { ["_handler"] = "invite", ["email"] = "friend@demo.test", ["role"] = "admin" }),
            ($"/users/{adminId}/role", new() { ["role"] = "agent" }),
            ($"/users/{agentId}/role", new() { ["role"] = "admin" }),
            ($"/users/{adminId}/remove", new()),
        };
        foreach (var (path, fields) in posts)
        {
            using var response = await ManagementForms.PostAsync(agent, path, fields);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {path}: {(int)response.StatusCode}");
        }

        Assert.Equal(("active", "agent", "admin"), (await app.Rows.ScalarAsync<string>("SELECT status FROM channels WHERE id = $1", channelId),
            await app.Rows.ScalarAsync<string>("SELECT role FROM users WHERE id = $1", agentId),
            await app.Rows.ScalarAsync<string>("SELECT role FROM users WHERE id = $1", adminId)));
        Assert.Equal(0L, await app.Rows.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM channels WHERE name = 'Agent''s channel') + (SELECT count(*) FROM api_keys WHERE name = 'Agent''s key') + (SELECT count(*) FROM user_invitations)"));
        Assert.DoesNotContain("href=\"/channels\"", await agent.Http.GetStringAsync("/conversations"));
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_to_sign_in_and_an_admin_gets_every_page()
    {
        using var visitor = new BrowserClient(app.Factory);
        using var admin = await app.SignedInAsAdminAsync();

        foreach (var page in Pages)
        {
            using var anonymous = await visitor.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
            Assert.StartsWith("/login", anonymous.Headers.Location!.PathAndQuery);
            using var allowed = await admin.Http.GetAsync(page);
            Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"admin GET {page}: {(int)allowed.StatusCode}");
        }
    }
}
