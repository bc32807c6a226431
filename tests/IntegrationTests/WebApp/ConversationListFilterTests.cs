using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>The conversation list's filters, search and paging, read from the rendered page.</summary>
public sealed partial class ConversationListFilterTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private CrmArrangement Rows => new(app.OwnerConnectionString);

    private async Task<ArrangedConversation> AddAsync(string channelType, string contact, string text, int minutesAgo)
        => await app.Arrange.AddConversationAsync(await Rows.SeededChannelAsync(app.Seed.TenantId, channelType), contact, text, "Resposta",
            DateTimeOffset.UtcNow.AddMinutes(-minutesAgo));

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<IReadOnlyList<Guid>> ListedAsync(BrowserClient browser, string query)
    {
        var html = await browser.Http.GetStringAsync("/conversations" + query);
        return LinkPattern().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
    }

    [Fact]
    public async Task Each_filter_keeps_only_its_conversations_and_search_finds_name_number_and_text()
    {
        var waiting = await AddAsync("whatsapp", "Paula Waiting", "Quero falar com alguém", 2);
        var closed = await AddAsync("instagram", "Carlos Closed", "Obrigado!", 3);
        var mine = await AddAsync("web", "Mina Mine", "Oi", 4);
        var searched = await AddAsync("web", "Sergio", "Qual o prazo para Xique-Xique?", 5);
        var agentId = await Rows.UserIdAsync(app.Seed.AgentEmail);
        await ExecuteAsync("UPDATE conversations SET handoff = 'waiting_for_human' WHERE id = $1", waiting.ConversationId);
        await ExecuteAsync("UPDATE conversations SET state = 'CLOSED', status = 'closed' WHERE id = $1", closed.ConversationId);
        await ExecuteAsync("UPDATE conversations SET handoff = 'human', assigned_agent_id = $2 WHERE id = $1", mine.ConversationId, agentId);
        // The customer wrote last in this one only.
        await app.Arrange.AddMessageAsync(searched, "Alô?", DateTimeOffset.UtcNow.AddMinutes(-1));
        using var browser = await app.SignedInAsOwnAgentAsync();

        Assert.Equal([waiting.ConversationId], await ListedAsync(browser, "?waiting=true"));
        Assert.Equal([mine.ConversationId], await ListedAsync(browser, "?mine=true"));
        Assert.Contains(closed.ConversationId, await ListedAsync(browser, "?state=closed"));
        Assert.DoesNotContain(closed.ConversationId, await ListedAsync(browser, "?state=open"));
        Assert.All(await ListedAsync(browser, "?channel=whatsapp"), id => Assert.NotEqual(mine.ConversationId, id));
        Assert.Contains(waiting.ConversationId, await ListedAsync(browser, "?channel=whatsapp"));
        Assert.Equal([searched.ConversationId], await ListedAsync(browser, "?unanswered=true&channel=web"));
        Assert.Equal([searched.ConversationId], await ListedAsync(browser, "?q=xique-xique"));
        Assert.Equal([closed.ConversationId], await ListedAsync(browser, "?q=carlos"));
        // A LIKE wildcard in the search is a character, not a pattern.
        Assert.Empty(await ListedAsync(browser, "?q=%25"));
        // Another tenant's conversation is never found, whatever the search.
        Assert.Empty(await ListedAsync(browser, "?q=" + Uri.EscapeDataString("secret of the other tenant")));
    }

    [Fact]
    public async Task Pages_of_25_follow_each_other_without_gaps_or_repeats()
    {
        for (var i = 0; i < 30; i++)
        {
            await AddAsync("web", $"Paging {i:00}", "oi", 100 + i);
        }
        using var browser = await app.SignedInAsOwnAgentAsync();

        var first = await ListedAsync(browser, "");
        var html = WebUtility.HtmlDecode(await browser.Http.GetStringAsync("/conversations"));
        var second = await ListedAsync(browser, "?page=2");

        Assert.Equal(25, first.Count);
        Assert.Contains("data-testid=\"page-next\"", html);
        Assert.Empty(first.Intersect(second));
        Assert.True(second.Count >= 5);
    }

    [GeneratedRegex("href=\"/conversations/([0-9a-f-]{36})\" data-testid=\"conversation-link\"")]
    private static partial Regex LinkPattern();
}
