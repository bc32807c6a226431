using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>
/// The accounts side of the CRM in Chromium: sign-up, settings, a contact's edit, export and erasure, a delivery state
/// arriving live, and the web widget's own texts in Portuguese. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class AccountsInBrowserTests(CrmBrowser crm) : IClassFixture<CrmBrowser>
{
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 20_000 };

    private AccountArrangement Rows => new(crm.App.OwnerConnectionString);

    [Fact]
    public async Task A_new_organisation_signs_up_from_the_login_page_and_sets_its_language()
    {
        var context = await crm.Browser.NewContextAsync(new() { BaseURL = crm.BaseUrl, Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        var organization = $"Sorveteria {Guid.NewGuid().ToString("N")[..6]}";

        await page.GotoAsync("/login");
        await page.ClickAsync("[data-testid=signup-link]");
        await page.WaitForURLAsync("**/signup");
        await page.FillAsync("#organization", organization);
        await page.FillAsync("#owner-name", "Rita Owner");
        await page.FillAsync("#email", $"rita-{Guid.NewGuid():N}@browser.test");
        await page.FillAsync("#password", "a-long-password-1");
        await CrmBrowser.ScreenshotAsync(page, "crm-signup");
        await page.ClickAsync("[data-testid=signup-submit]");
        await page.WaitForURLAsync("**/conversations");
        await Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync("Rita Owner");

        await page.GotoAsync("/settings");
        await Expect(page.Locator("[data-testid=settings-name]")).ToHaveValueAsync(organization);
        await Expect(page.Locator("[data-testid=settings-plan]")).ToHaveTextAsync("Trial");
        await page.SelectOptionAsync("[data-testid=settings-time-zone]", "America/Recife");
        await page.SelectOptionAsync("[data-testid=settings-language]", "pt-BR");
        await page.ClickAsync("[data-testid=settings-save]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Configurações");
        await Expect(page.Locator("[data-testid=settings-saved]")).ToBeVisibleAsync();
        await CrmBrowser.ScreenshotAsync(page, "crm-settings-pt-BR");
        await context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_finds_edits_exports_and_erases_a_contact()
    {
        var name = $"Clara {Guid.NewGuid().ToString("N")[..6]}";
        await crm.App.Arrange.AddConversationAsync(crm.App.OwnTenant, name, "Meu endereço é Rua A, 10", "Anotado!", DateTimeOffset.UtcNow.AddMinutes(-2));
        var page = await crm.SignedInPageAsync();

        await page.ClickAsync("nav >> text=Contacts");
        await page.FillAsync("[data-testid=contact-search]", name);
        await page.ClickAsync("[data-testid=contact-search-apply]");
        await Expect(page.Locator("[data-testid=contact-link]")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=contact-link]");
        await page.FillAsync("[data-testid=contact-edit-email]", "clara@example.com");
        await page.FillAsync("[data-testid=contact-edit-tags]", "vip, recorrente");
        await page.ClickAsync("[data-testid=contact-save]");
        await Expect(page.Locator("[data-testid=contact-saved]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=contact-conversation]")).ToHaveCountAsync(1);
        await CrmBrowser.ScreenshotAsync(page, "crm-contact");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=contact-export]"));
        var file = await download.PathAsync();
        var json = await File.ReadAllTextAsync(file!);
        Assert.Contains("Meu endereço é Rua A, 10", json);
        Assert.Contains("clara@example.com", json);

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("[data-testid=contact-erase]");
        await Expect(page.Locator("[data-testid=contact-erased]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=contact-name]")).ToHaveTextAsync("Erased contact");
        await Expect(page.Locator("[data-testid=audit-entry]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=contact-audit]")).ToContainTextAsync("Erased the contact's data");
        await Expect(page.Locator("[data-testid=contact-audit]")).ToContainTextAsync("Demo Agent");
        await CrmBrowser.ScreenshotAsync(page, "crm-contact-erased");
    }

    [Fact]
    public async Task A_delivery_state_stored_for_a_message_updates_the_open_page()
    {
        var conversation = await crm.App.Arrange.AddConversationAsync(crm.App.OwnTenant, "Davi Delivery", "Oi", "Olá!", DateTimeOffset.UtcNow.AddMinutes(-1));
        var outbound = conversation.Messages[1].Id;
        await Rows.ExecuteAsync("UPDATE messages SET delivery_status = 'sent' WHERE id = $1", outbound);
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync($"/conversations/{conversation.ConversationId}");
        await Expect(page.Locator("[data-testid=live-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        var status = page.Locator($"[data-message-id='{outbound}'] [data-testid=delivery-status]");
        await Expect(status).ToHaveTextAsync("Sent");

        // As the Gateway stores WhatsApp's "read" status: the page shows it without a reload.
        await Rows.ExecuteAsync("UPDATE messages SET delivery_status = 'read', delivery_updated_at = now() WHERE id = $1", outbound);

        await Expect(status).ToHaveTextAsync("Read", new() { Timeout = 20_000 });
        await Expect(status).ToHaveAttributeAsync("data-status", "read");
        await CrmBrowser.ScreenshotAsync(page, "crm-conversation-delivery-live");
    }

    [Theory]
    [InlineData("pt-BR", "", "Digite uma mensagem…", "Enviar", "Chat indisponível")]
    [InlineData("en", "", "Type a message…", "Send", "Chat unavailable")]
    [InlineData("en", "pt-BR", "Digite uma mensagem…", "Enviar", "Chat indisponível")]
    public async Task The_widget_speaks_the_page_s_language_or_its_data_lang(string pageLanguage, string dataLang, string placeholder, string send, string unavailable)
    {
        var widget = await File.ReadAllTextAsync(WidgetScriptPath());
        var context = await crm.Browser.NewContextAsync(new() { Locale = "en-US" });
        var page = await context.NewPageAsync();
        await page.RouteAsync("http://shop.test/**", route => route.FulfillAsync(new()
        {
            // Neither the page nor the script names a charset, as on many shops' sites: the widget must not depend on one.
            ContentType = "text/html",
            Body = $"""<!DOCTYPE html><html lang="{pageLanguage}"><body><h1>Loja</h1><script src="http://gateway.test/widget.js" data-channel="wc_test" data-lang="{dataLang}" data-open="true"></script></body></html>""",
        }));
        await page.RouteAsync("http://gateway.test/widget.js", route => route.FulfillAsync(new() { ContentType = "text/javascript", Body = widget }));
        // An unknown channel, as the Gateway answers it: the widget's own fallback text is what shows.
        await page.RouteAsync("http://gateway.test/v1/**", route => route.FulfillAsync(new() { Status = 404, ContentType = "text/plain", Body = "" }));

        await page.GotoAsync("http://shop.test/");

        await Expect(page.Locator("[data-testid=widget-input]")).ToHaveAttributeAsync("placeholder", placeholder);
        await Expect(page.Locator("[data-testid=widget-send]")).ToHaveTextAsync(send);
        await Expect(page.Locator("[data-testid=widget-status]")).ToHaveTextAsync(unavailable);
        await CrmBrowser.ScreenshotAsync(page, $"widget-{pageLanguage}{(dataLang == "" ? "" : "-data-lang-" + dataLang)}");
        await context.CloseAsync();
    }

    private static string WidgetScriptPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "Gateway", "wwwroot", "widget.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("Gateway/wwwroot/widget.js was not found above the test's folder.");
    }
}
