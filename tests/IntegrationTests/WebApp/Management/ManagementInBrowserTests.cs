using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SaasAssistants.IntegrationTests.Knowledge;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>
/// An admin managing the workspace in Chromium: connects a channel and copies its callback URL, creates an API key,
/// invites a user who then joins, creates an assistant and tries one in its console, and uploads a document whose indexing progress reaches the
/// open page live (the MessageProcessor's real task engine runs in this process), then searches it.
/// </summary>
public sealed partial class ManagementInBrowserTests(CrmBrowser crm) : IClassFixture<CrmBrowser>
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task An_admin_connects_WhatsApp_and_copies_the_callback_URL_while_the_secrets_stay_hidden()
    {
        var page = await crm.SignedInPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GotoAsync("/channels");
        await page.ClickAsync("[data-testid=connect-whatsapp] summary");
        var form = page.Locator("[data-testid=connect-form-whatsapp]");
        await form.Locator("[data-testid=field-name]").FillAsync("WhatsApp da Loja");
        await form.Locator("[data-testid=field-account-id]").FillAsync("109876543210987");
        await form.Locator("[data-testid=field-access-token]").FillAsync("EAAG-browser-access-token");
        await form.Locator("[data-testid=field-app-secret]").FillAsync("browser-app-secret");
        await form.Locator("[data-testid=field-verify-token]").FillAsync("browser-verify-token");
        await form.Locator("[data-testid=connect-submit-whatsapp]").ClickAsync();

        var card = page.Locator("[data-testid=channel][data-kind=whatsapp]", new() { HasText = "WhatsApp da Loja" });
        await Expect(card.Locator("[data-testid=callback-url]")).ToHaveValueAsync(CallbackPattern());
        await Expect(card.Locator("[data-testid=secret-state]")).ToHaveTextAsync("set");
        await card.Locator("[data-copy]").ClickAsync();
        await Expect(card.Locator("[data-copy]")).ToHaveAttributeAsync("data-state", "copied");
        Assert.Equal(await card.Locator("[data-testid=callback-url]").InputValueAsync(), await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        Assert.DoesNotContain("browser-app-secret", await page.ContentAsync());
        await CrmBrowser.ScreenshotAsync(page, "crm-channels");
    }

    [Fact]
    public async Task An_admin_creates_an_API_key_and_sees_it_once()
    {
        var page = await crm.SignedInPageAsync("pt-BR");
        await page.GotoAsync("/api-keys");
        await page.FillAsync("[data-testid=key-name]", "Integração ERP");
        await page.CheckAsync("[data-testid='scope-conversations:read']");
        await page.ClickAsync("[data-testid=create-key]");

        await Expect(page.Locator("[data-testid=created-key-value]")).ToHaveValueAsync(KeyPattern());
        await Expect(page.Locator("[data-testid=api-keys]")).ToContainTextAsync("Integração ERP");
        await Expect(page.Locator("[data-testid=created-key] h2")).ToHaveTextAsync("Sua nova chave de API");
        await CrmBrowser.ScreenshotAsync(page, "crm-api-keys-created-pt-BR");
        await page.GotoAsync("/api-keys");
        await Expect(page.Locator("[data-testid=created-key]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_admin_invites_a_user_who_opens_the_link_sets_a_password_and_is_signed_in()
    {
        var page = await crm.SignedInPageAsync();
        var email = $"browser-invitee-{Guid.NewGuid():N}@demo.test";
        await page.GotoAsync("/users");
        await page.FillAsync("[data-testid=invite-email]", email);
        await page.SelectOptionAsync("[data-testid=invite-role]", "agent");
        await page.ClickAsync("[data-testid=invite]");
        var link = await page.Locator("[data-testid=invitation-link]").InputValueAsync();
        await Expect(page.Locator("[data-testid=invitations]")).ToContainTextAsync(email);
        await CrmBrowser.ScreenshotAsync(page, "crm-users-invitation");

        var invitee = await (await crm.Browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1280, Height = 860 } })).NewPageAsync();
        await invitee.GotoAsync(link);
        await Expect(invitee.Locator("[data-testid=invitation]")).ToContainTextAsync(email);
        await invitee.FillAsync("#display-name", "Renata Convidada");
        await invitee.FillAsync("#new-password", "uma-senha-boa-123");
        await CrmBrowser.ScreenshotAsync(invitee, "crm-invitation-pt-BR");
        await invitee.ClickAsync("[data-testid=accept]");
        await invitee.WaitForURLAsync("**/conversations");
        await Expect(invitee.Locator("[data-testid=user-name]")).ToHaveTextAsync("Renata Convidada");
    }

    [Fact]
    public async Task An_admin_creates_an_assistant_and_lands_on_its_settings_and_console()
    {
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync("/assistants");
        await page.ClickAsync("[data-testid=assistant-new]");
        var form = page.Locator("[data-testid=assistant-create-form]");
        await form.Locator("[data-testid=assistant-name]").FillAsync("Atendente Browser");
        await form.Locator("[data-testid=assistant-prompt]").FillAsync("Você atende os clientes da Padaria Central.");
        await form.Locator("[data-testid=assistant-language]").SelectOptionAsync("pt-BR");
        await form.Locator("[data-testid=assistant-create]").ClickAsync();

        await page.WaitForURLAsync(AssistantPagePattern());
        await Expect(page.Locator("[data-testid=assistant-title]")).ToContainTextAsync("Atendente Browser");
        await Expect(page.Locator("[data-testid=console-form]")).ToBeVisibleAsync();
        await CrmBrowser.ScreenshotAsync(page, "crm-assistant");
    }

    [Fact]
    public async Task An_uploaded_document_s_progress_reaches_the_open_page_live_and_the_search_finds_it()
    {
        var page = await crm.SignedInPageAsync();
        await page.GotoAsync("/knowledge");
        await page.FillAsync("[data-testid=knowledge-name]", "FAQ da Padaria");
        await page.ClickAsync("[data-testid=knowledge-create]");
        await page.SetInputFilesAsync("[data-testid=upload-file]", new FilePayload
        {
            Name = "faq.md",
            MimeType = "text/markdown",
            Buffer = Encoding.UTF8.GetBytes("# Entregas\n\nEntregamos em Campinas e Valinhos, de terça a domingo. O frete custa R$ 7.\n"),
        });
        await page.ClickAsync("[data-testid=upload]");
        var status = page.Locator("[data-testid=document-status]");
        await Expect(status).ToHaveTextAsync("Queued");
        await CrmBrowser.ScreenshotAsync(page, "crm-knowledge-queued");

        await using (await KnowledgeWorker.StartAsync(crm.App.AppConnectionString, crm.App.RabbitMQConnectionString, crm.App.EncryptionKey))
        {
            // No reload: the page's script polls the documents' state while one is queued or indexing.
            await Expect(status).ToHaveTextAsync("Ready", Slow);
        }
        await Expect(page.Locator("[data-testid=document-percent]")).ToHaveTextAsync("100%");
        await CrmBrowser.ScreenshotAsync(page, "crm-knowledge-indexed");

        await page.FillAsync("[data-testid=search-text]", "Vocês entregam em Valinhos?");
        await page.ClickAsync("[data-testid=search-submit]");
        await Expect(page.Locator("[data-testid=passage]").First).ToContainTextAsync("Campinas e Valinhos");
        await CrmBrowser.ScreenshotAsync(page, "crm-knowledge-search");
    }

    [Fact]
    public async Task An_admin_tries_an_assistant_in_its_console_and_sees_the_assistant_s_own_answer()
    {
        var rows = new Accounts.AccountArrangement(crm.App.OwnerConnectionString);
        var assistantId = (Guid)(await rows.ScalarAsync("SELECT assistant_id FROM assistant_knowledge_bases WHERE tenant_id = $1", crm.App.Seed.TenantId))!;
        await using var worker = await ReplyWorker.StartAsync(crm.App.AppConnectionString, crm.App.EncryptionKey);
        // The local responder answers from the seed's knowledge, which the worker indexes as on a first start.
        await TaskEngine.Support.Wait.UntilAsync(async () => await rows.CountAsync(
                "SELECT count(*) FROM knowledge_documents WHERE tenant_id = $1 AND status <> 'indexed'", crm.App.Seed.TenantId) == 0,
            TimeSpan.FromSeconds(120), "the seed's documents to be indexed");
        var page = await crm.SignedInPageAsync("pt-BR");

        await page.GotoAsync("/assistants");
        await page.ClickAsync($"a[href='/assistants/{assistantId}']");
        await page.FillAsync("[data-testid=console-text]", "Quanto custa o frete?");
        await page.ClickAsync("[data-testid=console-send]");

        // No canned text: the reply is the ai.reply task's, composed by the built-in responder from the seed's
        // delivery document, with its source, and polled by the page until the task ends.
        var reply = page.Locator("[data-testid=console-reply]");
        await Expect(reply).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 60_000 });
        await Expect(reply).ToContainTextAsync("R$ 12,90");
        await Expect(reply).ToContainTextAsync("entrega.md");
        await CrmBrowser.ScreenshotAsync(page, "crm-assistant-console-pt-BR");
        var model = await rows.ScalarAsync("SELECT m.model FROM messages m JOIN tasks t ON t.id = m.task_id WHERE m.direction = 'outbound' AND t.tenant_id = $1 AND m.content->>'text' LIKE '%12,90%'", crm.App.Seed.TenantId);
        Assert.Equal("local-responder", model);

        // The console's conversation is the manager's test, not a customer's: the agents' list leaves it out.
        await page.GotoAsync("/conversations");
        await Expect(page.Locator("[data-testid=conversation-list]")).Not.ToContainTextAsync("Console ·");
    }

    [GeneratedRegex("/v1/webhooks/whatsapp/wa_[A-Za-z0-9_-]+$")]
    private static partial Regex CallbackPattern();

    [GeneratedRegex("^sa_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("/assistants/[0-9a-f-]{36}$")]
    private static partial Regex AssistantPagePattern();
}
