using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// An agent working conversations in Chromium: reply, notes, close and reopen, filters, another agent's changes live, and
/// what a dropped connection missed caught up after it reconnects, and a suspended tenant's open page ended.
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
