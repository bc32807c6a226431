using System.Net;
using Npgsql;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// The tenant's notices in the CRM (WebApp/Notifications): a banner on every page for the workspace's managers, a page
/// per notice, and "mark as read"; never another tenant's. Rows written as the MessageProcessor writes them.
/// </summary>
public sealed class NotificationBannerTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<Guid> AddNoticeAsync(Guid tenantId, Guid subscriptionId, string url, string reason)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO tenant_notifications (id, tenant_id, kind, subject_id, subject, detail, source_event_id)
            VALUES (gen_random_uuid(), $1, 'webhook_subscription_disabled', $2, $3, $4, gen_random_uuid()) RETURNING id
            """, connection);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(subscriptionId);
        command.Parameters.AddWithValue(url);
        command.Parameters.AddWithValue(reason);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(DateTime? ReadAt, Guid? ReadBy)> ReadStateAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT read_at, read_by FROM tenant_notifications WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? null : reader.GetDateTime(0), reader.IsDBNull(1) ? null : reader.GetGuid(1));
    }

    [Fact]
    public async Task A_manager_sees_the_tenant_s_notice_on_every_page_opens_it_and_marks_it_read()
    {
        var subscription = Guid.NewGuid();
        var url = $"https://partner.example/{Guid.NewGuid():N}";
        var id = await AddNoticeAsync(app.Seed.TenantId, subscription, url, "The endpoint answered 410 Gone.");
        var othersUrl = $"https://other.example/{Guid.NewGuid():N}";
        var others = await AddNoticeAsync(app.Other.TenantId, Guid.NewGuid(), othersUrl, "The endpoint answered 410 Gone.");
        using var browser = await app.SignedInAsOwnAgentAsync();

        var list = await browser.Http.GetStringAsync("/conversations");
        var conversation = await browser.Http.GetStringAsync($"/conversations/{app.Own.ConversationId}");

        Assert.Contains("data-testid=\"notifications\"", list);
        Assert.Contains($"The webhook subscription for {url} was disabled and receives no more events: The endpoint answered 410 Gone.", list);
        Assert.Contains($"href=\"/notifications/{id}\"", list);
        Assert.Contains(url, conversation);
        Assert.DoesNotContain(othersUrl, list);
        var page = await browser.Http.GetStringAsync($"/notifications/{id}");
        Assert.Contains($"POST /api/v1/webhooks/{subscription}/enable", page);
        using var foreign = await browser.Http.GetAsync($"/notifications/{others}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(othersUrl, await foreign.Content.ReadAsStringAsync());

        using var read = await browser.Http.PostAsync($"/notifications/{id}/read", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(list),
            ["returnUrl"] = "/conversations?state=open",
        }));

        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        Assert.Equal("/conversations?state=open", read.Headers.Location?.OriginalString);
        Assert.DoesNotContain(url, await browser.Http.GetStringAsync("/conversations"));
        var (readAt, readBy) = await ReadStateAsync(id);
        Assert.NotNull(readAt);
        Assert.NotNull(readBy);
        Assert.Null((await ReadStateAsync(others)).ReadAt);
    }

    [Fact]
    public async Task The_notice_speaks_portuguese_to_a_portuguese_browser()
    {
        var url = $"https://parceiro.example/{Guid.NewGuid():N}";
        await AddNoticeAsync(app.Seed.TenantId, Guid.NewGuid(), url, "3 consecutive deliveries failed.");
        using var browser = await app.SignedInAsOwnAgentAsync("pt-BR");

        var list = await browser.Http.GetStringAsync("/conversations");

        Assert.Contains($"A assinatura de webhook para {url} foi desativada", list);
        Assert.Contains("Marcar como lido", list);
    }

    [Fact]
    public async Task Another_tenant_s_notice_cannot_be_marked_read_and_a_foreign_return_url_is_not_followed()
    {
        var others = await AddNoticeAsync(app.Other.TenantId, Guid.NewGuid(), "https://other.example/x", "Gone");
        var own = await AddNoticeAsync(app.Seed.TenantId, Guid.NewGuid(), "https://partner.example/own", "Gone");
        using var browser = await app.SignedInAsOwnAgentAsync();
        var token = BrowserClient.AntiforgeryToken(await browser.Http.GetStringAsync("/conversations"));

        using var foreign = await browser.Http.PostAsync($"/notifications/{others}/read", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
        using var open = await browser.Http.PostAsync($"/notifications/{own}/read", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "//evil.example/phish",
        }));
        using var forged = await browser.Http.PostAsync($"/notifications/{own}/read", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null((await ReadStateAsync(others)).ReadAt);
        Assert.Equal("/conversations", open.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task An_agent_who_does_not_manage_the_workspace_gets_no_banner()
    {
        var email = $"agent-{Guid.NewGuid():N}@demo.test";
        await app.Arrange.AddUserAsync(app.Seed.TenantId, email, WebAppFixture.OtherPassword);
        var url = $"https://partner.example/{Guid.NewGuid():N}";
        await AddNoticeAsync(app.Seed.TenantId, Guid.NewGuid(), url, "Gone");
        using var browser = new BrowserClient(app.Factory);
        await browser.SignInOrFailAsync(email, WebAppFixture.OtherPassword);

        var list = await browser.Http.GetStringAsync("/conversations");

        Assert.DoesNotContain(url, list);
        Assert.DoesNotContain("data-testid=\"notifications\"", list);
    }
}
