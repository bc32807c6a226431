using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

public sealed class ConversationPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_list_shows_the_tenant_s_own_conversations_only()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        var html = WebUtility.HtmlDecode(await browser.Http.GetStringAsync("/conversations"));

        var links = Regex.Matches(html, "href=\"/conversations/([0-9a-f-]{36})\" data-testid=\"conversation-link\"").Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Contains(app.Own.ConversationId, links);
        Assert.DoesNotContain(app.Other.ConversationId, links);
        Assert.Contains("Maria Souza", html);
        Assert.Contains("Entregamos sim, em até 2 dias úteis.", html);
        Assert.DoesNotContain(app.Other.ContactName, html);
        Assert.DoesNotContain("A secret of the other tenant", html);
        Assert.DoesNotContain("Other tenant's answer", html);
    }

    [Fact]
    public async Task The_conversation_shows_its_messages_oldest_first_with_their_direction_in_the_tenant_s_time_zone()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        var html = WebUtility.HtmlDecode(await browser.Http.GetStringAsync($"/conversations/{app.Own.ConversationId}"));

        var messages = Regex.Matches(html, "data-testid=\"message\" data-direction=\"(\\w+)\" data-message-id=\"([0-9a-f-]{36})\"")
            .Select(m => (Direction: m.Groups[1].Value, Id: Guid.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal(app.Own.Messages.Select(m => (m.Direction, m.Id)), messages);
        Assert.True(html.IndexOf(app.Own.Messages[0].Text, StringComparison.Ordinal) < html.IndexOf(app.Own.Messages[1].Text, StringComparison.Ordinal));

        var tokyo = TimeZoneInfo.FindSystemTimeZoneById(WebAppFixture.OwnTimeZone);
        var shown = TimeZoneInfo.ConvertTime(app.Own.Messages[0].CreatedAt, tokyo).ToString("g", new CultureInfo("en"));
        Assert.Contains($">{shown}</time>", html);
        Assert.Contains("data-time-zone=\"Asia/Tokyo\"", html);
    }

    [Fact]
    public async Task Another_tenant_s_conversation_is_not_found()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await browser.Http.GetAsync($"/conversations/{app.Other.ConversationId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"not-found\"", html);
        Assert.DoesNotContain(app.Other.ContactName, html);
        Assert.DoesNotContain("A secret of the other tenant", html);
    }

    [Fact]
    public async Task The_other_tenant_s_agent_sees_their_conversation_and_not_ours()
    {
        using var browser = new BrowserClient(app.Factory);
        await browser.SignInOrFailAsync(WebAppFixture.OtherAgentEmail, WebAppFixture.OtherPassword);

        var list = await browser.Http.GetStringAsync("/conversations");
        using var ours = await browser.Http.GetAsync($"/conversations/{app.Own.ConversationId}");

        Assert.Contains(app.Other.ContactName, list);
        Assert.DoesNotContain("Maria Souza", list);
        Assert.Equal(HttpStatusCode.NotFound, ours.StatusCode);
    }

    [Fact]
    public async Task The_pages_carry_the_hooks_for_live_updates_and_browser_tests()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        var list = await browser.Http.GetStringAsync("/conversations");
        var conversation = await browser.Http.GetStringAsync($"/conversations/{app.Own.ConversationId}");

        Assert.Contains("data-testid=\"conversation-link\"", list);
        Assert.Matches("<script type=\"module\" src=\"js/conversations(\\.\\w+)?\\.js\"", list);
        Assert.Contains($"data-conversation-id=\"{app.Own.ConversationId}\"", conversation);
        Assert.Matches("<script src=\"lib/signalr/signalr.min(\\.\\w+)?\\.js\"", conversation);
        Assert.Matches("<script type=\"module\" src=\"js/conversation(\\.\\w+)?\\.js\"", conversation);
    }

    [Theory]
    [InlineData("/app.css")]
    [InlineData("/js/live.js")]
    [InlineData("/js/conversation.js")]
    [InlineData("/lib/signalr/signalr.min.js")]
    public async Task The_static_assets_are_served(string path)
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_page_is_not_found()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await browser.Http.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"not-found\"", await response.Content.ReadAsStringAsync());
    }
}
