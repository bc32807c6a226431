using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SaasAssistants.Database.Secrets;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>The channels page and its forms against the real WebApp, database and (for the handshake) Gateway.</summary>
public sealed class ChannelsPageTests(ManagementFixture app) : IClassFixture<ManagementFixture>
{
    private static Dictionary<string, string> WhatsApp(string name, string verifyToken = "verify-me-123") => new()
    {
        ["kind"] = "whatsapp",
        ["name"] = name,
        ["accountId"] = "109876543210987",
        ["accessToken"] = "EAAG-access-token-" + Guid.NewGuid().ToString("N"),
        ["appSecret"] = "app-secret-" + Guid.NewGuid().ToString("N"),
        ["verifyToken"] = verifyToken,
    };

    private async Task<(Guid Id, string Key)> ChannelAsync(string name)
    {
        var id = await app.Rows.ScalarAsync<Guid>("SELECT id FROM channels WHERE tenant_id = $1 AND name = $2", app.Seed.TenantId, name);
        return (id, await app.Rows.ScalarAsync<string>("SELECT public_token FROM channels WHERE id = $1", id));
    }

    private async Task<byte[]> ColumnAsync(Guid channelId, string column)
        => await app.Rows.ScalarAsync<byte[]>($"SELECT {column} FROM channels WHERE id = $1", channelId);

    [Fact]
    public async Task A_connected_WhatsApp_channel_keeps_its_secrets_encrypted_shows_only_that_they_are_set_and_the_Gateway_verifies_it()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var fields = WhatsApp("Loja WhatsApp", verifyToken: "verify-" + Guid.NewGuid().ToString("N"));

        using var response = await ManagementForms.PostAsync(browser, "/channels", fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (id, key) = await ChannelAsync("Loja WhatsApp");
        Assert.Equal($"/channels#channel-{id}", response.Headers.Location?.OriginalString);
        var protector = new SecretProtector(app.EncryptionKey);
        Assert.Equal(fields["accessToken"], protector.Unprotect(await ColumnAsync(id, "access_token_encrypted")));
        Assert.Equal(fields["appSecret"], protector.Unprotect(await ColumnAsync(id, "secret_encrypted")));
        Assert.Equal(fields["verifyToken"], protector.Unprotect(await ColumnAsync(id, "verify_token_encrypted")));
        Assert.Equal(("meta", "109876543210987"), (await app.Rows.ScalarAsync<string>("SELECT provider FROM channels WHERE id = $1", id),
            await app.Rows.ScalarAsync<string>("SELECT external_id FROM channels WHERE id = $1", id)));

        var page = await ManagementForms.PageAsync(browser, "/channels");
        Assert.Contains($"value=\"{ManagementFixture.GatewayUrl}/v1/webhooks/whatsapp/{key}\"", page);
        Assert.DoesNotContain(fields["accessToken"], page);
        Assert.DoesNotContain(fields["appSecret"], page);
        Assert.DoesNotContain(fields["verifyToken"], page);
        Assert.Contains("data-testid=\"secret-state\">set<", page);

        // Meta's subscription handshake against the real Gateway, with the verify token typed into the page.
        using var gateway = await app.GatewayAsync();
        using var verified = await gateway.GetAsync($"/v1/webhooks/whatsapp/{key}?hub.mode=subscribe&hub.verify_token={fields["verifyToken"]}&hub.challenge=4242");
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("4242", await verified.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Editing_replaces_only_the_secrets_filled_in_and_keeps_the_others()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var fields = WhatsApp("Instagram da Loja");
        fields["kind"] = "instagram";
        using var _ = await ManagementForms.PostAsync(browser, "/channels", fields);
        var (id, _) = await ChannelAsync("Instagram da Loja");
        var before = await ColumnAsync(id, "secret_encrypted");

        using var response = await ManagementForms.PostAsync(browser, $"/channels/{id}", new Dictionary<string, string>
        {
            ["name"] = "Instagram renamed",
            ["accountId"] = "",
            ["accessToken"] = "new-access-token",
            ["appSecret"] = "",
            ["verifyToken"] = "",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var protector = new SecretProtector(app.EncryptionKey);
        Assert.Equal("new-access-token", protector.Unprotect(await ColumnAsync(id, "access_token_encrypted")));
        Assert.Equal(before, await ColumnAsync(id, "secret_encrypted"));
        Assert.Equal(fields["verifyToken"], protector.Unprotect(await ColumnAsync(id, "verify_token_encrypted")));
        Assert.Equal(("Instagram renamed", "109876543210987"), (await app.Rows.ScalarAsync<string>("SELECT name FROM channels WHERE id = $1", id),
            await app.Rows.ScalarAsync<string>("SELECT external_id FROM channels WHERE id = $1", id)));
    }

    [Fact]
    public async Task A_Twilio_channel_stores_the_account_the_sender_and_the_auth_token_as_the_sender_reads_them()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var sid = "AC" + Guid.NewGuid().ToString("N");

        using var response = await ManagementForms.PostAsync(browser, "/channels", new Dictionary<string, string>
        {
            ["kind"] = "twilio", ["name"] = "Twilio WhatsApp", ["accountId"] = "whatsapp:+1 415 523 8886", ["twilioAccountSid"] = sid,
            ["twilioAuthToken"] = "twilio-auth-token",
        }, json: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(("whatsapp", "twilio", "14155238886", sid), (
            await app.Rows.ScalarAsync<string>("SELECT type FROM channels WHERE id = $1", id),
            await app.Rows.ScalarAsync<string>("SELECT provider FROM channels WHERE id = $1", id),
            await app.Rows.ScalarAsync<string>("SELECT external_id FROM channels WHERE id = $1", id),
            await app.Rows.ScalarAsync<string>("SELECT provider_account_id FROM channels WHERE id = $1", id)));
        Assert.Equal("twilio-auth-token", new SecretProtector(app.EncryptionKey).Unprotect(await ColumnAsync(id, "secret_encrypted")));
        var key = await app.Rows.ScalarAsync<string>("SELECT public_token FROM channels WHERE id = $1", id);
        Assert.Contains($"{ManagementFixture.GatewayUrl}/v1/webhooks/twilio/{key}", await ManagementForms.PageAsync(browser, "/channels"));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_problem_for_scripts_and_an_explanation_for_the_page_and_nothing_is_stored()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var fields = new Dictionary<string, string>
        {
            ["kind"] = "twilio", ["name"] = "Bad Twilio", ["accountId"] = "+14155238886", ["twilioAccountSid"] = "not-a-sid", ["twilioAuthToken"] = "x",
        };

        using var json = await ManagementForms.PostAsync(browser, "/channels", fields, json: true);
        using var form = await ManagementForms.PostAsync(browser, "/channels", fields);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var problem = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("twilio_account_sid", "twilioAccountSid"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.Equal("/channels?kind=twilio&error=twilio_account_sid", form.Headers.Location?.OriginalString);
        Assert.Contains("The Account SID starts with AC", await ManagementForms.PageAsync(browser, form.Headers.Location!.OriginalString));
        Assert.Equal(0L, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM channels WHERE name = 'Bad Twilio'"));

        using var missing = await ManagementForms.PostAsync(browser, "/channels", new Dictionary<string, string> { ["kind"] = "whatsapp", ["name"] = "No secrets" }, json: true);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var unknownKind = await ManagementForms.PostAsync(browser, "/channels", new Dictionary<string, string> { ["kind"] = "telegram", ["name"] = "x" }, json: true);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
    }

    [Fact]
    public async Task A_widget_shows_its_snippet_and_its_allowed_origins_which_can_be_edited()
    {
        using var browser = await app.SignedInAsAdminAsync();

        using var created = await ManagementForms.PostAsync(browser, "/channels", new Dictionary<string, string>
        {
            ["kind"] = "web", ["name"] = "Site da Loja", ["allowedOrigins"] = "https://www.loja.com.br\nhttps://LOJA.com.br:8443/",
        }, json: true);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var token = await app.Rows.ScalarAsync<string>("SELECT public_token FROM channels WHERE id = $1", id);

        var page = await ManagementForms.PageAsync(browser, "/channels");
        Assert.Contains($"<script src=\"{ManagementFixture.GatewayUrl}/widget.js\" data-channel=\"{token}\" async></script>", page);
        Assert.Contains("https://www.loja.com.br, https://loja.com.br:8443", page);

        using var edited = await ManagementForms.PostAsync(browser, $"/channels/{id}", new Dictionary<string, string> { ["name"] = "Site da Loja", ["allowedOrigins"] = "https://novo.loja.com.br" });
        using var refused = await ManagementForms.PostAsync(browser, $"/channels/{id}", new Dictionary<string, string> { ["name"] = "Site da Loja", ["allowedOrigins"] = "https://x.com/path" }, json: true);

        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["https://novo.loja.com.br"], await app.Rows.ScalarAsync<string[]>("SELECT allowed_origins FROM channels WHERE id = $1", id));
    }

    [Fact]
    public async Task Disabling_and_enabling_change_the_status_and_another_tenant_s_channel_is_not_found()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var (tenantId, _, channelId) = await app.Rows.SeededChannelAsync(app.Seed.TenantId, "web");

        using var disable = await ManagementForms.PostAsync(browser, $"/channels/{channelId}/disable");
        var disabled = await app.Rows.ScalarAsync<string>("SELECT status FROM channels WHERE id = $1", channelId);
        using var enable = await ManagementForms.PostAsync(browser, $"/channels/{channelId}/enable");
        var enabled = await app.Rows.ScalarAsync<string>("SELECT status FROM channels WHERE id = $1", channelId);
        using var foreign = await ManagementForms.PostAsync(browser, $"/channels/{app.Other.ChannelId}/disable");
        using var foreignEdit = await ManagementForms.PostAsync(browser, $"/channels/{app.Other.ChannelId}", new Dictionary<string, string> { ["name"] = "Mine now" });
        using var withoutToken = await ManagementForms.PostAsync(browser, $"/channels/{channelId}/disable", withToken: false);

        Assert.Equal(tenantId, app.Seed.TenantId);
        Assert.Equal((HttpStatusCode.Redirect, "disabled", HttpStatusCode.Redirect, "active"), (disable.StatusCode, disabled, enable.StatusCode, enabled));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (foreign.StatusCode, foreignEdit.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(("active", "WhatsApp"), (await app.Rows.ScalarAsync<string>("SELECT status FROM channels WHERE id = $1", app.Other.ChannelId),
            await app.Rows.ScalarAsync<string>("SELECT name FROM channels WHERE id = $1", app.Other.ChannelId)));
        Assert.DoesNotContain(app.Other.ChannelId.ToString(), await ManagementForms.PageAsync(browser, "/channels"));
    }
}
