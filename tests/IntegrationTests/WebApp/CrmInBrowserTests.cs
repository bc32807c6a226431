using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SaasAssistants.Contracts.Events;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// An agent working conversations in Chromium: reply, notes, close and reopen, take over, hand back and assign, a template
/// outside WhatsApp's window, media and locations, filters, another agent's changes live, what a dropped connection missed
/// caught up after it reconnects, and a suspended tenant's open page ended.
/// </summary>
public sealed class CrmInBrowserTests(CrmBrowser crm) : IClassFixture<CrmBrowser>
{
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 20_000 };

    private async Task<ArrangedConversation> NewConversationAsync(string contact)
        => await crm.App.Arrange.AddConversationAsync(await new CrmArrangement(crm.App.OwnerConnectionString).SeededChannelAsync(crm.App.Seed.TenantId, "web"),
            contact, "Preciso de ajuda com meu pedido", "Vou chamar alguém da equipe.", DateTimeOffset.UtcNow.AddMinutes(-2));

    [Fact]
    public async Task An_agent_replies_adds_a_note_closes_and_reopens()
    {
        var conversation = await NewConversationAsync("Beatriz Browser");
        var page = await crm.SignedInPageAsync();

        await page.GetByText("Beatriz Browser").ClickAsync();
        await page.WaitForURLAsync($"**/conversations/{conversation.ConversationId}");
        await page.FillAsync("[data-testid=reply-text]", "Oi Beatriz, já vejo seu pedido.");
        await page.ClickAsync("[data-testid=send-reply]");

        await Expect(page.Locator("[data-testid=messages]")).ToContainTextAsync("Oi Beatriz, já vejo seu pedido.");
        await Expect(page.Locator("[data-testid=conversation-handoff]")).ToContainTextAsync("With ");
        await page.FillAsync("[data-testid=note-text]", "Pedido 1234 atrasado na transportadora.");
        await page.ClickAsync("[data-testid=add-note]");
        await Expect(page.Locator("[data-testid=notes]")).ToContainTextAsync("Pedido 1234 atrasado");
        await Expect(page.Locator("[data-testid=messages]")).Not.ToContainTextAsync("Pedido 1234");
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-reply-and-note");

        await page.ClickAsync("[data-testid=close]");
        await Expect(page.Locator("[data-testid=reopen]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=reply-text]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=conversation-state]")).ToContainTextAsync("Closed");
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-closed");
        await page.ClickAsync("[data-testid=reopen]");
        await Expect(page.Locator("[data-testid=reply-text]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_agent_takes_over_hands_back_and_assigns_to_a_colleague()
    {
        var conversation = await NewConversationAsync("Tiago Takeover");
        var rows = new CrmArrangement(crm.App.OwnerConnectionString);
        // Handing back needs an assistant to hand back to.
        await rows.ScalarAsync<Guid>("""
            WITH a AS (INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt)
                       SELECT gen_random_uuid(), tenant_id, workspace_id, 'Bot', 'Be kind.' FROM conversations WHERE id = $1 RETURNING id)
            UPDATE conversations SET assistant_id = (SELECT id FROM a) WHERE id = $1 RETURNING assistant_id
            """, conversation.ConversationId);
        var colleague = "Camila Colega " + Guid.NewGuid().ToString("N")[..4];
        var colleagueEmail = $"colleague-{Guid.NewGuid():N}@crm.test";
        await crm.App.Arrange.AddUserAsync(crm.App.Seed.TenantId, colleagueEmail, WebAppFixture.OtherPassword, colleague);
        var me = await rows.ScalarAsync<string>("SELECT display_name FROM users WHERE lower(email) = lower($1)", crm.App.Seed.AgentEmail);
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync($"/conversations/{conversation.ConversationId}");
        var handoff = page.Locator("[data-testid=conversation-handoff]");
        await Expect(handoff).ToHaveTextAsync("Assistant answering");
        // Unassigned, the list names nobody: the first agent is not preselected as if the conversation were theirs.
        await Expect(page.Locator("[data-testid=assign-agent]")).ToHaveValueAsync(string.Empty);

        await page.ClickAsync("[data-testid=take-over]");
        await Expect(handoff).ToHaveTextAsync($"With {me}");
        await Expect(page.Locator("[data-testid=take-over]")).ToHaveCountAsync(0);

        await page.ClickAsync("[data-testid=hand-back]");
        await Expect(handoff).ToHaveTextAsync("Assistant answering");
        await Expect(page.Locator("[data-testid=hand-back]")).ToHaveCountAsync(0);

        await page.SelectOptionAsync("[data-testid=assign-agent]", new SelectOptionValue { Label = colleague });
        await page.ClickAsync("[data-testid=assign]");
        await Expect(handoff).ToHaveTextAsync($"With {colleague}");
        var colleagueId = await rows.UserIdAsync(colleagueEmail);
        await Expect(page.Locator("[data-testid=assign-agent]")).ToHaveValueAsync(colleagueId.ToString());
        // Assigned to someone else, the conversation is still the current agent's to take.
        await Expect(page.Locator("[data-testid=take-over]")).ToBeVisibleAsync();
        Assert.Equal(colleagueId, await rows.ScalarAsync<Guid>("SELECT assigned_agent_id FROM conversations WHERE id = $1", conversation.ConversationId));
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-assigned");
    }

    [Fact]
    public async Task Outside_whatsapp_s_window_the_agent_sends_a_template_that_is_queued_for_delivery()
    {
        var rows = new CrmArrangement(crm.App.OwnerConnectionString);
        var conversation = await crm.App.Arrange.AddConversationAsync(await rows.SeededChannelAsync(crm.App.Seed.TenantId, "whatsapp"),
            "Walter Window", "Meu pedido chegou?", "Vou verificar.", DateTimeOffset.UtcNow.AddHours(-26));
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync($"/conversations/{conversation.ConversationId}");

        var window = page.Locator("[data-testid=service-window]");
        await Expect(window).ToHaveAttributeAsync("data-open", "false");
        await Expect(window).ToContainTextAsync("24-hour window is closed");
        await Expect(page.Locator("[data-testid=reply-text]")).ToHaveCountAsync(0);
        await page.FillAsync("[data-testid=template-name]", "pedido_atualizado");
        await page.FillAsync("[data-testid=template-language]", "pt_BR");
        await page.FillAsync("[data-testid=template-parameters]", "Walter\n1234");
        await page.ClickAsync("[data-testid=send-template]");

        // With no text, the template's name stands for it on the page (its text lives at Meta).
        var sent = page.Locator("[data-testid=message][data-direction=outbound]", new() { HasText = "[pedido_atualizado]" });
        await Expect(sent).ToHaveCountAsync(1);
        await Expect(sent.Locator("[data-testid=delivery-status]")).ToHaveAttributeAsync("data-status", "queued");
        await CrmBrowser.ScreenshotAsync(page, "crm-whatsapp-template-queued");
        var messageId = Guid.Parse((await sent.GetAttributeAsync("data-message-id"))!);
        Assert.Equal(1L, await rows.ScalarAsync<long>("""
            SELECT count(*) FROM tasks WHERE type = 'message.send' AND payload->>'messageId' = $1
               AND payload->'template' = '{"name": "pedido_atualizado", "language": "pt_BR", "parameters": ["Walter", "1234"]}'::jsonb
            """, messageId.ToString()));
    }

    [Fact]
    public async Task A_stored_image_and_a_location_are_shown()
    {
        var rows = new Accounts.AccountArrangement(crm.App.OwnerConnectionString);
        var conversation = await crm.App.Arrange.AddConversationAsync(await new CrmArrangement(crm.App.OwnerConnectionString).SeededChannelAsync(crm.App.Seed.TenantId, "whatsapp"),
            "Marina Media", "Olá", "Oi! Como posso ajudar?", DateTimeOffset.UtcNow.AddMinutes(-10));
        // As the Gateway stores a WhatsApp image (Graph's media id, no URL) and media.fetch stores its bytes.
        var (imageId, mediaId, locationId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await rows.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
            VALUES ($1, $2, $3, $4, 'inbound', 'contact',
                    '{"type": "image", "text": "Foto da caixa amassada", "media": {"id": "1003383421387256", "mimeType": "image/png"}}', now() - interval '5 minutes')
            """, imageId, conversation.TenantId, conversation.ConversationId, conversation.ChannelId);
        await rows.ExecuteAsync("""
            INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source, status, content_type, size_bytes, stored_at)
            VALUES ($1, $2, $3, $4, 'image', '1003383421387256', 'stored', 'image/png', $5, now())
            """, mediaId, conversation.TenantId, imageId, conversation.ChannelId, (long)Png.Length);
        await rows.ExecuteAsync("INSERT INTO media_contents (media_id, tenant_id, content) VALUES ($1, $2, $3)", mediaId, conversation.TenantId, Png);
        await rows.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
            VALUES ($1, $2, $3, $4, 'inbound', 'contact',
                    '{"type": "location", "location": {"latitude": -23.5613, "longitude": -46.6565, "name": "Loja Paulista", "address": "Av. Paulista, 1000"}}',
                    now() - interval '4 minutes')
            """, locationId, conversation.TenantId, conversation.ConversationId, conversation.ChannelId);
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync($"/conversations/{conversation.ConversationId}");

        var image = page.Locator($"[data-message-id='{imageId}'] [data-testid=media][data-media-type=image] img");
        await Expect(image).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-message-id='{imageId}']")).ToContainTextAsync("Foto da caixa amassada");
        // Chromium decoded it: the bytes reached the page as an image.
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 24);
        var src = (await image.GetAttributeAsync("src"))!;
        var response = await page.APIRequest.GetAsync(src);
        Assert.Equal(200, response.Status);
        Assert.Equal("image/png", response.Headers["content-type"]);
        Assert.Equal(Png, await response.BodyAsync());
        // The file is the conversation's, and the tenant's: asked for under another conversation, or by another tenant's agent, it is not there.
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/api/conversations/{Guid.NewGuid()}/media/{mediaId}")).Status);
        var stranger = await SignedInPageAsync(WebAppFixture.OtherAgentEmail);
        Assert.Equal(404, (await stranger.APIRequest.GetAsync(src)).Status);

        var location = page.Locator($"[data-message-id='{locationId}'] [data-testid=location]");
        await Expect(location).ToContainTextAsync("Loja Paulista");
        await Expect(page.Locator($"[data-message-id='{locationId}']")).ToContainTextAsync("Av. Paulista, 1000");
        await Expect(location).ToHaveAttributeAsync("href", "https://www.openstreetmap.org/?mlat=-23.5613&mlon=-46.6565#map=16/-23.5613/-46.6565");
        await image.ScrollIntoViewIfNeededAsync();
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-media-and-location");
    }

    [Theory]
    // WhatsApp sends a media id; Instagram a link to its CDN, which expires and must not be loaded from the agent's browser.
    [InlineData("whatsapp", """{"type": "image", "media": {"id": "1003383421387999", "mimeType": "image/png"}}""")]
    [InlineData("instagram", """{"type": "image", "media": {"url": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17999&signature=x", "mimeType": "image/png"}}""")]
    public async Task A_customer_s_image_stored_while_the_page_is_open_replaces_its_label(string channel, string content)
    {
        var rows = new Accounts.AccountArrangement(crm.App.OwnerConnectionString);
        var conversation = await crm.App.Arrange.AddConversationAsync(await new CrmArrangement(crm.App.OwnerConnectionString).SeededChannelAsync(crm.App.Seed.TenantId, channel),
            "Paula Pendente", "Olá", "Oi! Como posso ajudar?", DateTimeOffset.UtcNow.AddMinutes(-10));
        // As the Gateway stores a customer's image: the message at once, its file pending until media.fetch downloads it.
        var (imageId, mediaId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await rows.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
            VALUES ($1, $2, $3, $4, 'inbound', 'contact', $5::jsonb, now())
            """, imageId, conversation.TenantId, conversation.ConversationId, conversation.ChannelId, content);
        await rows.ExecuteAsync("""
            INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source) VALUES ($1, $2, $3, $4, 'image', 'from the channel')
            """, mediaId, conversation.TenantId, imageId, conversation.ChannelId);
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync($"/conversations/{conversation.ConversationId}");
        await Expect(page.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        var media = page.Locator($"[data-message-id='{imageId}'] [data-testid=media]");
        await Expect(media).ToHaveTextAsync("[Image]");
        await Expect(media.Locator("img, a")).ToHaveCountAsync(0);

        // media.fetch stores the file and announces it. An announcement under another tenant's id (the same conversation
        // and message, another file) goes to that tenant's group: were it pushed here, the page would show that file.
        await rows.ExecuteAsync("UPDATE message_media SET status = 'stored', content_type = 'image/png', size_bytes = $2, stored_at = now() WHERE id = $1",
            mediaId, (long)Png.Length);
        await rows.ExecuteAsync("INSERT INTO media_contents (media_id, tenant_id, content) VALUES ($1, $2, $3)", mediaId, conversation.TenantId, Png);
        await using var bus = await BusPublisher.ConnectAsync(crm.App.RabbitMQConnectionString);
        MessageMediaStored Stored(Guid tenantId, Guid media) => new()
        {
            TenantId = tenantId, ConversationId = conversation.ConversationId, MessageId = imageId, MediaId = media,
        };
        await bus.PublishAsync(Stored(crm.App.Other.TenantId, Guid.NewGuid()));
        await bus.PublishAsync(Stored(conversation.TenantId, mediaId));

        var image = media.Locator("img");
        await Expect(image).ToHaveAttributeAsync("src", $"/api/conversations/{conversation.ConversationId}/media/{mediaId}", new() { Timeout = 20_000 });
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 24);
        await CrmBrowser.ScreenshotAsync(page, $"crm-conversation-media-stored-live-{channel}");
    }

    /// <summary>A 24×24 PNG, as a customer's photo would arrive.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAH0lEQVR42mNQTX5NFcQwatCoQaMGjRo0atCoQQNvEABZoULucEvZ+wAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Another_agent_s_reply_and_takeover_reach_an_open_page_live()
    {
        var conversation = await NewConversationAsync("Lucas Live");
        var watcher = await crm.SignedInPageAsync("pt-BR");
        var actor = await crm.SignedInPageAsync();
        await watcher.GotoAsync($"/conversations/{conversation.ConversationId}");
        await Expect(watcher.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await Expect(watcher.Locator("[data-testid=take-over]")).ToHaveTextAsync("Assumir");

        await actor.GotoAsync($"/conversations/{conversation.ConversationId}");
        await actor.FillAsync("[data-testid=reply-text]", "Resposta de outro atendente");
        await actor.ClickAsync("[data-testid=send-reply]");

        // The message arrives over SignalR, then the handoff change makes the page show who has the conversation now.
        await Expect(watcher.Locator("[data-testid=messages]")).ToContainTextAsync("Resposta de outro atendente", Live);
        await Expect(watcher.Locator("[data-testid=conversation-handoff]")).ToContainTextAsync("Com ", Live);
        await CrmBrowser.ScreenshotAsync(watcher, "crm-conversation-live-pt-BR");
    }

    [Fact]
    public async Task A_page_that_reconnects_catches_up_the_delivery_state_and_the_message_it_missed()
    {
        var conversation = await NewConversationAsync("Rita Reconnect");
        var reply = conversation.Messages[1].Id;
        var rows = new Accounts.AccountArrangement(crm.App.OwnerConnectionString);
        await rows.ExecuteAsync("UPDATE messages SET delivery_status = 'sent' WHERE id = $1", reply);
        var page = await crm.SignedInPageAsync();
        // The page's live connection goes through this route, so the test can drop it as a network would.
        IWebSocketRoute? live = null;
        await page.RouteWebSocketAsync(new Regex("/hubs/conversations"), route =>
        {
            route.ConnectToServer();
            live = route;
        });
        await page.GotoAsync($"/conversations/{conversation.ConversationId}");
        var status = page.Locator("[data-testid=live-status]");
        var delivery = page.Locator($"[data-message-id='{reply}'] [data-testid=delivery-status]");
        await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await Expect(delivery).ToHaveAttributeAsync("data-status", "sent");

        // The connection drops and cannot come back yet (its negotiation is refused) ...
        var negotiate = new Regex("/hubs/conversations/negotiate");
        await page.RouteAsync(negotiate, route => route.AbortAsync());
        await live!.CloseAsync();
        await Expect(status).ToHaveAttributeAsync("data-state", "reconnecting");
        // ... while the channel reports the reply read and the customer writes: notified to a page that is not there.
        await rows.ExecuteAsync("UPDATE messages SET delivery_status = 'read', delivery_updated_at = now() WHERE id = $1", reply);
        await crm.App.Arrange.AddMessageAsync(conversation, "Escrevi enquanto a página estava fora", DateTimeOffset.UtcNow);
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-reconnecting");
        await page.UnrouteAsync(negotiate);

        // Reconnected, the page asks the server for what it missed: no push replays either.
        await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        await Expect(delivery).ToHaveAttributeAsync("data-status", "read", new() { Timeout = 10_000 });
        await Expect(page.Locator("[data-testid=messages]")).ToContainTextAsync("Escrevi enquanto a página estava fora");
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-caught-up");
    }

    [Fact]
    public async Task A_suspended_tenant_s_open_page_goes_to_sign_in_while_another_tenant_s_stays_live()
    {
        var suspended = await AgentOfNewTenantAsync("Tenant Suspended Live");
        var staying = await AgentOfNewTenantAsync("Tenant Staying Live");
        var suspendedPage = await SignedInPageAsync(suspended.Email);
        var stayingPage = await SignedInPageAsync(staying.Email);
        await Expect(suspendedPage.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        await Expect(stayingPage.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });

        // As an operator suspends a tenant: in the database, no admin page.
        await crm.App.Arrange.SetStatusAsync(suspended.TenantId, "suspended");

        // The server ends the connection; the page's reconnect is refused (401) and it reloads onto the sign-in page.
        await suspendedPage.WaitForURLAsync("**/login**", new() { Timeout = 20_000 });
        await CrmBrowser.ScreenshotAsync(suspendedPage, "crm-suspended-tenant-signed-out");
        Assert.Equal("connected", await stayingPage.Locator("[data-testid=live-status]").GetAttributeAsync("data-state"));
        Assert.EndsWith("/conversations", stayingPage.Url);
    }

    private async Task<(Guid TenantId, string Email)> AgentOfNewTenantAsync(string name)
    {
        var tenant = await crm.App.Arrange.AddTenantAsync(name);
        var email = $"agent-{Guid.NewGuid():N}@live.test";
        await crm.App.Arrange.AddUserAsync(tenant.TenantId, email, WebAppFixture.OtherPassword);
        return (tenant.TenantId, email);
    }

    private async Task<IPage> SignedInPageAsync(string email)
    {
        var context = await crm.Browser.NewContextAsync(new() { BaseURL = crm.BaseUrl, Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", WebAppFixture.OtherPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/conversations");
        return page;
    }

    [Fact]
    public async Task The_list_filters_down_to_the_conversations_waiting_for_a_person()
    {
        var waiting = await NewConversationAsync("Wanda Waiting");
        await NewConversationAsync("Nelson NotWaiting");
        await using (var connection = new Npgsql.NpgsqlConnection(crm.App.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("UPDATE conversations SET handoff = 'waiting_for_human' WHERE id = $1", connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = waiting.ConversationId });
            await command.ExecuteNonQueryAsync();
        }
        var page = await crm.SignedInPageAsync();

        await page.CheckAsync("[data-testid=filter-waiting]");
        await page.ClickAsync("[data-testid=filter-apply]");

        await page.WaitForURLAsync("**/conversations?*waiting=true*");
        await Expect(page.Locator("[data-testid=conversation-list]")).ToContainTextAsync("Wanda Waiting");
        await Expect(page.Locator("[data-testid=conversation-list]")).Not.ToContainTextAsync("Nelson NotWaiting");
        await CrmBrowser.ScreenshotAsync(page, "crm-list-waiting");
    }
}
