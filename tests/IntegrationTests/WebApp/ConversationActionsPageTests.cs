using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>The conversation page's forms, posted as a browser posts them, against the real WebApp and database.</summary>
public sealed class ConversationActionsPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private CrmArrangement Rows => new(app.OwnerConnectionString);

    private async Task<ArrangedConversation> NewConversationAsync(string channelType = "web", int minutesAgo = 5)
        => await app.Arrange.AddConversationAsync(await Rows.SeededChannelAsync(app.Seed.TenantId, channelType), "Joana " + Guid.NewGuid().ToString("N")[..6],
            "Quero falar com uma pessoa", "Vou chamar alguém da equipe.", DateTimeOffset.UtcNow.AddMinutes(-minutesAgo));

    private static async Task<HttpResponseMessage> PostFormAsync(BrowserClient browser, Guid conversationId, string action,
        Dictionary<string, string>? fields = null, bool withToken = true)
    {
        var page = await browser.Http.GetStringAsync($"/conversations/{conversationId}");
        var form = new Dictionary<string, string>(fields ?? []);
        if (withToken)
        {
            form["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page);
        }
        return await browser.Http.PostAsync($"/conversations/{conversationId}/{action}", new FormUrlEncodedContent(form));
    }

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);

    [Fact]
    public async Task An_agent_s_reply_is_shown_as_theirs_and_the_conversation_becomes_theirs()
    {
        var conversation = await NewConversationAsync();
        using var browser = await app.SignedInAsOwnAgentAsync();
        var agentId = await Rows.UserIdAsync(app.Seed.AgentEmail);

        using var response = await PostFormAsync(browser, conversation.ConversationId, "reply", new() { ["text"] = "Oi Joana, aqui é da equipe." });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/conversations/{conversation.ConversationId}", response.Headers.Location?.OriginalString);
        var page = Decoded(await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}"));
        Assert.Contains("Oi Joana, aqui é da equipe.", page);
        Assert.Matches("data-testid=\"conversation-handoff\">With [^<]+</span>", page);
        Assert.Equal(agentId, await Rows.ScalarAsync<Guid>(
            "SELECT agent_id FROM messages WHERE conversation_id = $1 AND sender = 'agent'", conversation.ConversationId));
        Assert.Equal(("human", agentId), (
            await Rows.ScalarAsync<string>("SELECT handoff FROM conversations WHERE id = $1", conversation.ConversationId),
            await Rows.ScalarAsync<Guid>("SELECT assigned_agent_id FROM conversations WHERE id = $1", conversation.ConversationId)));
    }

    [Fact]
    public async Task Close_then_reopen_changes_what_the_page_offers()
    {
        var conversation = await NewConversationAsync();
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var close = await PostFormAsync(browser, conversation.ConversationId, "close");
        var closed = await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}");
        using var reopen = await PostFormAsync(browser, conversation.ConversationId, "reopen");
        var reopened = await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}");

        Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
        Assert.Contains("data-testid=\"reopen\"", closed);
        Assert.DoesNotContain("data-testid=\"reply-text\"", closed);
        Assert.Contains("data-state=\"CLOSED\"", closed);
        Assert.Equal(HttpStatusCode.Redirect, reopen.StatusCode);
        Assert.Contains("data-state=\"PROGRESS\"", reopened);
        Assert.Contains("data-testid=\"reply-text\"", reopened);
        Assert.Contains("data-testid=\"close\"", reopened);
    }

    [Fact]
    public async Task A_note_shows_among_the_notes_and_never_among_the_messages()
    {
        var conversation = await NewConversationAsync();
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await PostFormAsync(browser, conversation.ConversationId, "notes", new() { ["text"] = "Cliente pediu nota fiscal." });
        var page = Decoded(await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var notes = page[page.IndexOf("data-testid=\"notes\"", StringComparison.Ordinal)..];
        var messages = page[page.IndexOf("data-testid=\"messages\"", StringComparison.Ordinal)..page.IndexOf("data-testid=\"notes\"", StringComparison.Ordinal)];
        Assert.Contains("Cliente pediu nota fiscal.", notes);
        Assert.DoesNotContain("Cliente pediu nota fiscal.", messages);
    }

    [Fact]
    public async Task Outside_whatsapp_s_window_the_page_offers_a_template_and_refuses_free_text_with_a_reason()
    {
        var conversation = await NewConversationAsync("whatsapp", minutesAgo: 60 * 26);
        using var browser = await app.SignedInAsOwnAgentAsync("pt-BR");

        var page = Decoded(await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}"));
        using var refused = await PostFormAsync(browser, conversation.ConversationId, "reply", new() { ["text"] = "Oi?" });
        var explained = Decoded(await browser.Http.GetStringAsync(refused.Headers.Location!.OriginalString));

        Assert.Contains("data-testid=\"service-window\" data-open=\"false\"", page);
        Assert.Contains("A janela de 24 horas do WhatsApp está fechada", page);
        Assert.DoesNotContain("data-testid=\"reply-text\"", page);
        Assert.Contains("data-testid=\"template-name\"", page);
        Assert.EndsWith("?error=outside_service_window", refused.Headers.Location!.OriginalString);
        Assert.Contains("só permite um modelo agora", explained);
        Assert.Equal(0L, await Rows.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1 AND sender = 'agent'", conversation.ConversationId));
    }

    [Fact]
    public async Task A_whatsapp_reply_shows_its_delivery_state()
    {
        var conversation = await NewConversationAsync("whatsapp");
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await PostFormAsync(browser, conversation.ConversationId, "reply", new() { ["text"] = "Já verifico." });
        var page = await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("data-testid=\"service-window\" data-open=\"true\"", page);
        Assert.Matches("data-testid=\"delivery-status\" data-status=\"queued\"", page);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var conversation = await NewConversationAsync();
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var close = await PostFormAsync(browser, conversation.ConversationId, "close", withToken: false);
        using var reply = await PostFormAsync(browser, conversation.ConversationId, "reply", new() { ["text"] = "x" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, close.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal("open", await Rows.ScalarAsync<string>("SELECT status FROM conversations WHERE id = $1", conversation.ConversationId));
        Assert.Equal(0L, await Rows.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1 AND sender = 'agent'", conversation.ConversationId));
    }

    [Fact]
    public async Task Another_tenant_s_conversation_cannot_be_acted_on()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();
        var page = await browser.Http.GetStringAsync($"/conversations/{app.Own.ConversationId}");

        using var response = await browser.Http.PostAsync($"/conversations/{app.Other.ConversationId}/reply", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page),
            ["text"] = "intrusion",
        }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0L, await Rows.ScalarAsync<long>("SELECT count(*) FROM messages WHERE content->>'text' = 'intrusion'"));
    }

    [Fact]
    public async Task A_script_asking_for_json_gets_a_problem_naming_the_field()
    {
        var conversation = await NewConversationAsync();
        using var browser = await app.SignedInAsOwnAgentAsync();
        var page = await browser.Http.GetStringAsync($"/conversations/{conversation.ConversationId}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/conversations/{conversation.ConversationId}/reply")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page), ["text"] = "  " }),
        };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("text_required", "text"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.True(problem.TryGetProperty("traceId", out _));
    }
}
