using System.Net;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>The contacts list, the contact page's edit form and its LGPD export and erasure, against the real WebApp and database.</summary>
public sealed class ContactPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private AccountArrangement Rows => new(app.OwnerConnectionString);

    private async Task<(ArrangedConversation Conversation, Guid ContactId)> NewContactAsync(string name)
    {
        var conversation = await app.Arrange.AddConversationAsync(app.OwnTenant, name, "Meu CPF é 123.456.789-00", "Obrigado, anotado.",
            DateTimeOffset.UtcNow.AddMinutes(-3));
        var contactId = (Guid)(await Rows.ScalarAsync("SELECT contact_id FROM conversations WHERE id = $1", conversation.ConversationId))!;
        return (conversation, contactId);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(BrowserClient browser, Guid contactId, string path, Dictionary<string, string> fields)
    {
        var page = await browser.Http.GetStringAsync($"/contacts/{contactId}");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = BrowserClient.AntiforgeryToken(page) };
        return await browser.Http.PostAsync($"/contacts/{contactId}{path}", new FormUrlEncodedContent(form));
    }

    private async Task<BrowserClient> SignedInAsync(string role)
    {
        var browser = new BrowserClient(app.Factory);
        await browser.SignInOrFailAsync(await Rows.AddUserAsync(app.Seed.TenantId, role, $"Test {role}"), AccountArrangement.Password);
        return browser;
    }

    [Fact]
    public async Task The_list_searches_and_pages_and_shows_no_other_tenant_s_contacts()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 27; i++)
        {
            await NewContactAsync($"Paging {marker} {i:00}");
        }
        using var browser = await app.SignedInAsOwnAgentAsync();

        var first = WebUtility.HtmlDecode(await browser.Http.GetStringAsync($"/contacts?q={marker}"));
        var second = WebUtility.HtmlDecode(await browser.Http.GetStringAsync($"/contacts?q={marker}&page=2"));
        var other = WebUtility.HtmlDecode(await browser.Http.GetStringAsync("/contacts?q=Other%20Tenant"));

        Assert.Equal(25, CountOf(first, "data-testid=\"contact-link\""));
        Assert.Contains("data-testid=\"page-next\"", first);
        Assert.Equal(2, CountOf(second, "data-testid=\"contact-link\""));
        Assert.DoesNotContain("data-testid=\"page-next\"", second);
        Assert.Contains($"Paging {marker} 00", first + second);
        Assert.DoesNotContain("Other Tenant Customer", other);
        Assert.Contains("No contact matches this search.", other);
    }

    [Fact]
    public async Task An_agent_edits_a_contact_and_the_change_is_audited()
    {
        var (_, contactId) = await NewContactAsync("Edna Edit");
        using var browser = await SignedInAsync("agent");

        using var response = await PostFormAsync(browser, contactId, "", new()
        {
            ["displayName"] = "Edna Editada", ["email"] = "edna@example.com", ["phone"] = "+55 (11) 98888-7777",
            ["notes"] = "Prefere WhatsApp", ["tags"] = "vip, atacado, vip",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/contacts/{contactId}?saved=true", response.Headers.Location!.OriginalString);
        Assert.Equal("+5511988887777", await Rows.ScalarAsync("SELECT phone FROM contacts WHERE id = $1", contactId));
        Assert.Equal(new[] { "vip", "atacado" }, (string[])(await Rows.ScalarAsync("SELECT tags FROM contacts WHERE id = $1", contactId))!);
        var page = WebUtility.HtmlDecode(await browser.Http.GetStringAsync($"/contacts/{contactId}"));
        Assert.Contains("Edna Editada", page);
        Assert.Contains("data-action=\"contact.updated\"", page);
        Assert.Contains("Test agent", page);
        Assert.Contains("data-testid=\"contact-privacy-managers\"", page);
        Assert.Equal("{\"fields\": [\"name\", \"email\", \"phone\", \"notes\", \"tags\"]}",
            await Rows.ScalarAsync("SELECT details::text FROM audit_events WHERE subject_id = $1 AND action = 'contact.updated'", contactId));
    }

    [Fact]
    public async Task A_bad_email_is_refused_with_the_reason_and_nothing_changes()
    {
        var (_, contactId) = await NewContactAsync("Bruno Bad");
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await PostFormAsync(browser, contactId, "", new() { ["displayName"] = "Changed", ["email"] = "not an email" });

        Assert.Equal($"/contacts/{contactId}?error=email", response.Headers.Location!.OriginalString);
        Assert.Equal("Bruno Bad", await Rows.ScalarAsync("SELECT display_name FROM contacts WHERE id = $1", contactId));
        var page = await browser.Http.GetStringAsync($"/contacts/{contactId}?error=email");
        Assert.Contains("That email address is not valid.", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task The_detail_page_lists_the_person_s_conversations_on_every_channel()
    {
        var (conversation, contactId) = await NewContactAsync("Carla Cross");
        var instagram = await new CrmArrangement(app.OwnerConnectionString).SeededChannelAsync(app.Seed.TenantId, "instagram");
        var other = await app.Arrange.AddConversationAsync(instagram, "carla.insta", "Oi pelo Instagram", "Olá!", DateTimeOffset.UtcNow);
        var email = $"carla-{Guid.NewGuid():N}@example.com";
        await Rows.ExecuteAsync("UPDATE contacts SET email = $2 WHERE id = $1", contactId, email);
        await Rows.ExecuteAsync("UPDATE contacts SET email = upper($2) WHERE id = (SELECT contact_id FROM conversations WHERE id = $1)", other.ConversationId, email);
        using var browser = await app.SignedInAsOwnAgentAsync();

        var page = await browser.Http.GetStringAsync($"/contacts/{contactId}");

        Assert.Contains($"href=\"/conversations/{conversation.ConversationId}\"", page);
        Assert.Contains($"href=\"/conversations/{other.ConversationId}\"", page);
        Assert.Contains("data-channel=\"instagram\"", page);
        Assert.DoesNotContain($"href=\"/conversations/{app.Other.ConversationId}\"", page);
    }

    [Fact]
    public async Task An_admin_exports_everything_about_the_contact_as_json_and_it_is_audited()
    {
        var (conversation, contactId) = await NewContactAsync("Dora Export");
        var mediaId = await Rows.AddMediaAsync(app.Seed.TenantId, conversation.Messages[0].Id, conversation.ChannelId);
        await Rows.AddNoteAsync(conversation, "Cliente pediu nota fiscal");
        using var browser = await app.SignedInAsOwnAgentAsync(); // the seeded agent is an admin

        using var response = await browser.Http.GetAsync($"/contacts/{contactId}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"contact-{contactId}.json", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        using var export = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = export.RootElement;
        Assert.Equal("Dora Export", root.GetProperty("contact").GetProperty("displayName").GetString());
        var exported = Assert.Single(root.GetProperty("conversations").EnumerateArray());
        Assert.Equal("Cliente pediu nota fiscal", Assert.Single(exported.GetProperty("notes").EnumerateArray()).GetProperty("text").GetString());
        var messages = exported.GetProperty("messages");
        Assert.Equal(["Meu CPF é 123.456.789-00", "Obrigado, anotado."], messages.EnumerateArray().Select(m => m.GetProperty("content").GetProperty("text").GetString()));
        var media = Assert.Single(messages[0].GetProperty("media").EnumerateArray());
        Assert.Equal(mediaId, media.GetProperty("id").GetGuid());
        Assert.Equal("abc123", media.GetProperty("sha256").GetString());
        Assert.Equal(1, await Rows.CountAsync("SELECT count(*) FROM audit_events WHERE subject_id = $1 AND action = 'contact.exported'", contactId));
    }

    [Fact]
    public async Task An_admin_erases_the_contact_its_messages_and_media_and_the_trail_says_who()
    {
        var (conversation, contactId) = await NewContactAsync("Eva Erase");
        await Rows.AddMediaAsync(app.Seed.TenantId, conversation.Messages[0].Id, conversation.ChannelId);
        await Rows.ExecuteAsync("UPDATE contacts SET email = 'eva@example.com', phone = '+5511977776666', notes = 'CPF 123' WHERE id = $1", contactId);
        await Rows.AddNoteAsync(conversation, "Eva mora na Rua B");
        var taskId = await Rows.AddReplyTaskAsync(conversation, "Obrigado, anotado.");
        var untouched = await app.Arrange.AddConversationAsync(app.OwnTenant, "Not Erased", "Fico", "Ok", DateTimeOffset.UtcNow);
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await PostFormAsync(browser, contactId, "/erase", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await Rows.CountAsync("""
            SELECT count(*) FROM contacts WHERE id = $1 AND (display_name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL OR notes IS NOT NULL
                OR external_id NOT LIKE 'erased:%' OR erased_at IS NULL)
            """, contactId));
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM messages WHERE conversation_id = $1 AND content->>'text' IS NOT NULL", conversation.ConversationId));
        Assert.Equal(2, await Rows.CountAsync("SELECT count(*) FROM messages WHERE conversation_id = $1", conversation.ConversationId));
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM message_media WHERE message_id = $1", conversation.Messages[0].Id));
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM media_contents c JOIN message_media m ON m.id = c.media_id WHERE m.message_id = $1", conversation.Messages[0].Id));
        Assert.Equal(2, await Rows.CountAsync("SELECT count(*) FROM messages WHERE conversation_id = $1 AND content->>'text' IS NOT NULL", untouched.ConversationId));
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM conversation_notes WHERE conversation_id = $1", conversation.ConversationId));
        Assert.Equal("", await Rows.ScalarAsync("SELECT content FROM task_artifacts WHERE task_id = $1", taskId));
        var page = WebUtility.HtmlDecode(await browser.Http.GetStringAsync($"/contacts/{contactId}"));
        Assert.Contains("data-testid=\"contact-erased\"", page);
        Assert.DoesNotContain("Eva Erase", page);
        Assert.Contains("data-action=\"contact.erased\"", page);
        Assert.Contains("Demo Agent", page);
        Assert.Equal("{\"files\": 1, \"media\": 1, \"notes\": 1, \"messages\": 2, \"artifacts\": 1}",
            await Rows.ScalarAsync("SELECT details::text FROM audit_events WHERE subject_id = $1 AND action = 'contact.erased'", contactId));
    }

    [Fact]
    public async Task An_agent_can_neither_export_nor_erase()
    {
        var (_, contactId) = await NewContactAsync("Fabio Forbidden");
        using var browser = await SignedInAsync("agent");

        using var export = await browser.Http.GetAsync($"/contacts/{contactId}/export");
        using var erase = await PostFormAsync(browser, contactId, "/erase", []);

        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, erase.StatusCode);
        Assert.Equal("Fabio Forbidden", await Rows.ScalarAsync("SELECT display_name FROM contacts WHERE id = $1", contactId));
        Assert.Equal(0, await Rows.CountAsync("SELECT count(*) FROM audit_events WHERE subject_id = $1", contactId));
    }

    [Fact]
    public async Task Another_tenant_s_contact_is_not_found_for_page_export_or_erase()
    {
        var otherContact = (Guid)(await Rows.ScalarAsync("SELECT contact_id FROM conversations WHERE id = $1", app.Other.ConversationId))!;
        using var browser = await app.SignedInAsOwnAgentAsync();
        var token = BrowserClient.AntiforgeryToken(await browser.Http.GetStringAsync("/contacts"));

        using var page = await browser.Http.GetAsync($"/contacts/{otherContact}");
        using var export = await browser.Http.GetAsync($"/contacts/{otherContact}/export");
        using var erase = await browser.Http.PostAsync($"/contacts/{otherContact}/erase",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        Assert.Equal("application/problem+json", export.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, erase.StatusCode);
        Assert.Equal("Other Tenant Customer", await Rows.ScalarAsync("SELECT display_name FROM contacts WHERE id = $1", otherContact));
    }

    [Fact]
    public async Task An_erase_without_the_antiforgery_token_is_refused()
    {
        var (_, contactId) = await NewContactAsync("Gil Guarded");
        using var browser = await app.SignedInAsOwnAgentAsync();

        using var response = await browser.Http.PostAsync($"/contacts/{contactId}/erase", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Gil Guarded", await Rows.ScalarAsync("SELECT display_name FROM contacts WHERE id = $1", contactId));
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
