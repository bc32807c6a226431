using System.Net;
using Npgsql;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// A tenant suspended in the database (UPDATE tenants SET status) loses its agents' open live connections at once,
/// through trigger tenants_suspended (migration 0022) and the WebApp's TenantSuspensionListener; another tenant's stay.
/// </summary>
public sealed class TenantSuspensionTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Password = "suspension-test-password-1";

    private async Task<(Guid TenantId, BrowserClient Browser)> SignedInAgentOfNewTenantAsync(string name)
    {
        var tenant = await app.Arrange.AddTenantAsync(name);
        var email = $"agent-{Guid.NewGuid():N}@suspension.test";
        await app.Arrange.AddUserAsync(tenant.TenantId, email, Password);
        var browser = new BrowserClient(app.Factory);
        await browser.SignInOrFailAsync(email, Password);
        return (tenant.TenantId, browser);
    }

    [Fact]
    public async Task Suspending_a_tenant_ends_its_agents_live_connections_and_not_another_tenant_s()
    {
        var suspended = await SignedInAgentOfNewTenantAsync("Tenant To Suspend");
        var suspendedTenant = suspended.TenantId;
        using var suspendedAgent = suspended.Browser;
        using var otherAgent = (await SignedInAgentOfNewTenantAsync("Tenant That Stays")).Browser;
        await using var suspendedHub = await HubTestClient.ConnectAsync(app.Factory, suspendedAgent.CookieHeader);
        await using var otherHub = await HubTestClient.ConnectAsync(app.Factory, otherAgent.CookieHeader);

        // The listener may still be starting with the app: a suspension it did not hear is undone and repeated.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var ended = false;
        while (!ended && DateTime.UtcNow < deadline)
        {
            await app.Arrange.SetStatusAsync(suspendedTenant, "suspended");
            ended = await suspendedHub.WaitForCloseAsync(TimeSpan.FromSeconds(1));
            if (!ended)
            {
                await app.Arrange.SetStatusAsync(suspendedTenant, "active");
            }
        }

        Assert.True(ended, "the suspended tenant's hub connection ends");
        // The other tenant's connection is still open: it answers (a refusal, for a conversation that does not exist).
        Assert.Contains("not found", await otherHub.InvokeAsync("JoinConversation", Guid.NewGuid()));
        // A reconnect is refused too, and the next request goes to the sign-in page.
        await Assert.ThrowsAnyAsync<Exception>(() => HubTestClient.ConnectAsync(app.Factory, suspendedAgent.CookieHeader));
        using var next = await suspendedAgent.Http.GetAsync("/conversations");
        Assert.Equal(HttpStatusCode.Found, next.StatusCode);
        Assert.StartsWith("/login", next.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Only_a_status_leaving_active_is_notified_and_the_payload_is_the_tenant_id()
    {
        var tenant = await app.Arrange.AddTenantAsync("Tenant Changing Plan");
        await using var listener = new NpgsqlConnection(app.AppConnectionString);
        await listener.OpenAsync();
        var received = new List<string>();
        listener.Notification += (_, notification) => received.Add(notification.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN tenant_suspended", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        // Notifications arrive in commit order: if the plan change or the unchanged status notified, it would come first.
        await using (var owner = new NpgsqlConnection(app.OwnerConnectionString))
        {
            await owner.OpenAsync();
            foreach (var sql in new[]
            {
                "UPDATE tenants SET plan = 'pro' WHERE id = $1",
                "UPDATE tenants SET status = 'active' WHERE id = $1",
                "UPDATE tenants SET status = 'suspended' WHERE id = $1",
            })
            {
                await using var command = new NpgsqlCommand(sql, owner);
                command.Parameters.Add(new NpgsqlParameter { Value = tenant.TenantId });
                await command.ExecuteNonQueryAsync();
            }
        }

        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([tenant.TenantId.ToString()], received);
    }
}
