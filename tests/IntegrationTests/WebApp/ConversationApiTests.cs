using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

public sealed class ConversationApiTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_messages_of_an_own_conversation_come_oldest_first()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        var messages = await browser.Http.GetFromJsonAsync<JsonElement[]>($"/api/conversations/{app.Own.ConversationId}/messages");

        Assert.Equal(app.Own.Messages.Select(m => m.Id), messages!.Select(m => m.GetProperty("messageId").GetGuid()));
        var first = messages![0];
        Assert.Equal("inbound", first.GetProperty("direction").GetString());
        Assert.Equal("contact", first.GetProperty("sender").GetString());
        Assert.Equal(app.Own.Messages[0].Text, first.GetProperty("text").GetString());
        Assert.Equal(app.Own.ConversationId, first.GetProperty("conversationId").GetGuid());
    }

    [Fact]
    public async Task After_returns_the_messages_from_that_moment_on()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();
        var conversation = await app.Arrange.AddConversationAsync(app.OwnTenant, "Carlos Lima", "Oi", "Olá, Carlos!", DateTimeOffset.UtcNow.AddMinutes(-3));
        var later = await app.Arrange.AddMessageAsync(conversation, "Mais uma pergunta", DateTimeOffset.UtcNow.AddMinutes(-2));
        var after = Uri.EscapeDataString(conversation.Messages[^1].CreatedAt.ToString("O"));

        var messages = await browser.Http.GetFromJsonAsync<JsonElement[]>($"/api/conversations/{conversation.ConversationId}/messages?after={after}");

        // At or after: the script drops the one it already shows.
        Assert.Equal([conversation.Messages[^1].Id, later.Id], messages!.Select(m => m.GetProperty("messageId").GetGuid()));
    }

    [Fact]
    public async Task Another_tenant_s_messages_are_not_found()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var messages = await browser.Http.GetAsync($"/api/conversations/{app.Other.ConversationId}/messages");
        using var summary = await browser.Http.GetAsync($"/api/conversations/{app.Other.ConversationId}");

        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, summary.StatusCode);
        Assert.DoesNotContain("secret", await messages.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_list_endpoint_has_the_tenant_s_conversations_only()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();

        var items = await browser.Http.GetFromJsonAsync<JsonElement[]>("/api/conversations");

        var ids = items!.Select(i => i.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(app.Own.ConversationId, ids);
        Assert.DoesNotContain(app.Other.ConversationId, ids);
    }

    [Fact]
    public async Task Signed_out_the_api_answers_401_not_a_redirect()
    {
        using var browser = new BrowserClient(app.Factory);

        using var response = await browser.Http.GetAsync($"/api/conversations/{app.Own.ConversationId}/messages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
