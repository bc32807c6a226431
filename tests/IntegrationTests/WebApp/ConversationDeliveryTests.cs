using System.Net;
using System.Text.Json;
using SaasAssistants.IntegrationTests.WebApp.Accounts;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// The conversation page's delivery states pushed live when the channel's status is stored, agents' names on their
/// messages, and Instagram's 24-hour window checked before a reply is accepted.
/// </summary>
public sealed class ConversationDeliveryTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    private AccountArrangement Rows => new(app.OwnerConnectionString);

    private async Task<Guid> AddOutboundAsync(ArrangedConversation conversation)
    {
        var id = Guid.CreateVersion7();
        await Rows.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, delivery_status)
            VALUES ($1, $2, $3, $4, 'outbound', 'assistant', '{"type":"text","text":"Já enviamos"}', 'queued')
            """, id, conversation.TenantId, conversation.ConversationId, conversation.ChannelId);
        return id;
    }

    [Fact]
    public async Task A_stored_delivery_status_reaches_the_page_s_agents_of_that_tenant_only()
    {
        var ownMessage = await AddOutboundAsync(app.Own);
        var otherMessage = await AddOutboundAsync(app.Other);
        using var ownBrowser = await app.SignedInAsOwnAgentAsync();
        using var otherBrowser = new BrowserClient(app.Factory);
        await otherBrowser.SignInOrFailAsync(WebAppFixture.OtherAgentEmail, WebAppFixture.OtherPassword);
        await using var ownHub = await HubTestClient.ConnectAsync(app.Factory, ownBrowser.CookieHeader);
        await using var otherHub = await HubTestClient.ConnectAsync(app.Factory, otherBrowser.CookieHeader);
        Assert.Null(await ownHub.InvokeAsync("JoinConversation", app.Own.ConversationId));
        Assert.Null(await otherHub.InvokeAsync("JoinConversation", app.Other.ConversationId));

        // As the Gateway stores a WhatsApp status: an UPDATE of delivery_status, committed. The listener may still be
        // starting with the app, so the status moves on until a push for the latest one arrives.
        string[] statuses = ["sent", "delivered", "read"];
        JsonElement pushed = default;
        var deadline = DateTime.UtcNow + Delivery;
        for (var i = 0; ; i++)
        {
            var status = statuses[i % statuses.Length];
            await Rows.ExecuteAsync("UPDATE messages SET delivery_status = $2, delivery_updated_at = now() WHERE id = $1", ownMessage, status);
            try
            {
                pushed = await ownHub.WaitForPushAsync("deliveryChanged", p => p.GetProperty("messageId").GetGuid() == ownMessage
                    && p.GetProperty("status").GetString() == status, TimeSpan.FromSeconds(1));
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
        await Rows.ExecuteAsync("UPDATE messages SET delivery_status = 'failed', delivery_error = '131047' WHERE id = $1", otherMessage);
        var failed = await otherHub.WaitForPushAsync("deliveryChanged", p => p.GetProperty("messageId").GetGuid() == otherMessage, Delivery);

        Assert.Equal(app.Own.ConversationId, pushed.GetProperty("conversationId").GetGuid());
        Assert.Equal(("failed", "131047"), (failed.GetProperty("status").GetString(), failed.GetProperty("error").GetString()));
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // time for a stray cross-tenant push to show before looking for one
        Assert.DoesNotContain(ownHub.Pushes(), p => p.Target == "deliveryChanged" && p.Argument.GetProperty("messageId").GetGuid() == otherMessage);
        Assert.DoesNotContain(otherHub.Pushes(), p => p.Target == "deliveryChanged" && p.Argument.GetProperty("messageId").GetGuid() == ownMessage);
    }

    [Fact]
    public async Task An_agent_s_message_shows_the_agent_s_name()
    {
        var conversation = await app.Arrange.AddConversationAsync(app.OwnTenant, "Nina Name", "Oi", "Olá", DateTimeOffset.UtcNow.AddMinutes(-1));
        using var browser = await app.SignedInAsOwnAgentAsync();
        var page = await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}");

        using var reply = await browser.Http.PostAsync($"/conversations/{conversation.ConversationId}/reply", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page), ["text"] = "Aqui é a equipe" }));
        var after = WebUtility.HtmlDecode(await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}"));
        var api = await browser.Http.GetStringAsync($"/api/conversations/{conversation.ConversationId}/messages");

        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        Assert.Contains("data-testid=\"message-sender\">Demo Agent</span>", after);
        Assert.Contains("\"agentName\":\"Demo Agent\"", api);
    }

    [Fact]
    public async Task Instagram_refuses_a_reply_outside_its_24_hour_window_up_front()
    {
        var instagram = await new CrmArrangement(app.OwnerConnectionString).SeededChannelAsync(app.Seed.TenantId, "instagram");
        var closed = await app.Arrange.AddConversationAsync(instagram, "ig.closed", "Oi", "Olá", DateTimeOffset.UtcNow.AddHours(-25));
        var open = await app.Arrange.AddConversationAsync(instagram, "ig.open", "Oi", "Olá", DateTimeOffset.UtcNow.AddHours(-2));
        using var browser = await app.SignedInAsOwnAgentAsync();
        var closedPage = await browser.Http.GetStringAsync($"/conversations/{closed.ConversationId}");
        var openPage = await browser.Http.GetStringAsync($"/conversations/{open.ConversationId}");
        var token = BrowserClient.AntiforgeryToken(openPage);

        using var refused = await browser.Http.PostAsync($"/conversations/{closed.ConversationId}/reply", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["text"] = "Tarde demais" }));

        Assert.Contains("data-testid=\"service-window\" data-open=\"false\"", closedPage);
        Assert.DoesNotContain("data-testid=\"reply-text\"", closedPage);
        Assert.DoesNotContain("data-testid=\"send-template\"", closedPage);
        Assert.Contains("data-testid=\"service-window\" data-open=\"true\"", openPage);
        Assert.Equal($"/conversations/{closed.ConversationId}?error=outside_service_window", refused.Headers.Location!.OriginalString);
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM messages WHERE conversation_id = $1 AND sender = 'agent'", closed.ConversationId));
    }
}
