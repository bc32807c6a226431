using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SaasAssistants.IntegrationTests.WebApp.Accounts;
using SaasAssistants.IntegrationTests.WebApp.Management;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// The assistants' "try it" console writes a real conversation (its own contact, on the tenant's web channel). The agents'
/// conversation list, its filters and search, its live catch-up and the contacts list leave it out; the console keeps it.
/// </summary>
public sealed partial class ConsoleConversationTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Typed = "Pergunta de teste do console sobre Xaxim";

    private AccountArrangement Rows => new(app.OwnerConnectionString);

    [Fact]
    public async Task A_console_conversation_is_in_no_agent_list_filter_or_search_but_stays_in_the_console()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();
        var assistantId = (Guid)(await Rows.ScalarAsync("SELECT id FROM assistants WHERE tenant_id = $1 ORDER BY created_at LIMIT 1", app.Seed.TenantId))!;
        // A customer's conversation with the same words: the search does find those, so an empty result means something.
        var customer = await app.Arrange.AddConversationAsync(await new CrmArrangement(app.OwnerConnectionString).SeededChannelAsync(app.Seed.TenantId, "web"),
            "Cliente Xaxim", Typed, "Resposta", DateTimeOffset.UtcNow.AddMinutes(-3));

        using var sent = await ManagementForms.PostAsync(browser, $"/assistants/{assistantId}/console",
            new Dictionary<string, string> { ["text"] = Typed }, json: true);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var taskId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taskId").GetGuid();
        var console = (Guid)(await Rows.ScalarAsync("SELECT conversation_id FROM messages WHERE task_id = $1 AND direction = 'inbound'", taskId))!;

        foreach (var query in new[] { "", "?state=open", "?channel=web", "?unanswered=true", "?q=xaxim", "?q=console", "?page=1" })
        {
            var listed = await ListedAsync(browser, query);
            Assert.DoesNotContain(console, listed);
            if (query is "" or "?channel=web" or "?q=xaxim")
            {
                Assert.Contains(customer.ConversationId, listed);
            }
        }
        // The list's live catch-up and its lookup of a conversation it has no row for.
        var recent = await browser.Http.GetFromJsonAsync<JsonElement>("/api/conversations");
        Assert.DoesNotContain(recent.EnumerateArray(), item => item.GetProperty("id").GetGuid() == console);
        Assert.Contains(recent.EnumerateArray(), item => item.GetProperty("id").GetGuid() == customer.ConversationId);
        using var lookup = await browser.Http.GetAsync($"/api/conversations/{console}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        // Nor is the console's contact one of the tenant's contacts.
        var contacts = await ManagementForms.PageAsync(browser, "/contacts");
        Assert.DoesNotContain("Console · ", contacts);
        Assert.Contains("Cliente Xaxim", contacts);

        // The console itself still shows its conversation.
        var page = await ManagementForms.PageAsync(browser, $"/assistants/{assistantId}");
        Assert.Contains(Typed, page);
    }

    private static async Task<IReadOnlyList<Guid>> ListedAsync(BrowserClient browser, string query)
    {
        var html = await browser.Http.GetStringAsync("/conversations" + query);
        return LinkPattern().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
    }

    [GeneratedRegex("href=\"/conversations/([0-9a-f-]{36})\" data-testid=\"conversation-link\"")]
    private static partial Regex LinkPattern();
}
