using System.Net;
using System.Text.RegularExpressions;
using SaasAssistants.Database.ApiKeys;
using SaasAssistants.IntegrationTests.PublicApi;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>The API keys page: a key is shown once, works at the real PublicApi with its scopes, shows its last use and can be revoked.</summary>
public sealed partial class ApiKeysPageTests(ManagementFixture app) : IClassFixture<ManagementFixture>
{
    private static async Task<(HttpResponseMessage Response, string Html)> CreateAsync(BrowserClient browser, string name, params string[] scopes)
    {
        var fields = new List<KeyValuePair<string, string>> { new("_handler", "create-key"), new("name", name) };
        fields.AddRange(scopes.Select(s => new KeyValuePair<string, string>("scopes", s)));
        var response = await ManagementForms.PostAsync(browser, "/api-keys", fields);
        return (response, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_new_key_is_shown_once_works_at_the_PublicApi_within_its_scopes_records_its_use_and_stops_when_revoked()
    {
        using var browser = await app.SignedInAsAdminAsync();

        var (response, html) = await CreateAsync(browser, "ERP integration", ApiKeyScopes.TenantRead, ApiKeyScopes.ConversationsRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = KeyPattern().Match(html).Value;
        Assert.True(ApiKeyFormat.TryGetPrefix(key, out var prefix), "the page shows the whole key");
        var id = await app.Rows.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE prefix = $1", prefix);
        Assert.Equal(ApiKeyFormat.Hash(key), await app.Rows.ScalarAsync<byte[]>("SELECT key_hash FROM api_keys WHERE id = $1", id));
        Assert.Equal([ApiKeyScopes.TenantRead, ApiKeyScopes.ConversationsRead], await app.Rows.ScalarAsync<string[]>("SELECT scopes FROM api_keys WHERE id = $1", id));
        var listed = await ManagementForms.PageAsync(browser, "/api-keys");
        Assert.DoesNotContain(key, listed);
        Assert.Contains($"sa_{prefix}_…", listed);

        await using var publicApi = new PublicApiFactory(app.AppConnectionString,
            new Dictionary<string, string?> { ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync() });
        using var http = publicApi.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var allowed = await http.GetAsync("/api/v1/tenant");
        using var outOfScope = await http.GetAsync("/api/v1/tasks/stats");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outOfScope.StatusCode);
        Assert.True(await app.Rows.ScalarAsync<bool>("SELECT last_used_at IS NOT NULL FROM api_keys WHERE id = $1", id));
        var lastUsed = Regex.Match(await ManagementForms.PageAsync(browser, "/api-keys"), $"data-key-id=\"{id}\".*?data-testid=\"last-used\">([^<]*)<", RegexOptions.Singleline);
        Assert.True(lastUsed.Success);
        Assert.NotEqual("never", lastUsed.Groups[1].Value);

        using var revoke = await ManagementForms.PostAsync(browser, $"/api-keys/{id}/revoke");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.True(await app.Rows.ScalarAsync<bool>("SELECT revoked_at IS NOT NULL FROM api_keys WHERE id = $1", id));
        // The PublicApi's door finds no revoked key (its 30-second cache of successful checks aside).
        Assert.Equal(0L, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM resolve_api_key($1)", prefix));
        Assert.Contains("data-revoked=\"true\"", await ManagementForms.PageAsync(browser, "/api-keys"));
    }

    [Fact]
    public async Task A_key_without_a_name_or_with_an_unknown_scope_is_refused_and_nothing_is_stored()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var before = await app.Rows.ScalarAsync<long>("SELECT count(*) FROM api_keys");

        var (noName, noNameHtml) = await CreateAsync(browser, "  ");
        var (badScope, badScopeHtml) = await CreateAsync(browser, "Root", "everything:write");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (noName.StatusCode, badScope.StatusCode));
        Assert.Contains("data-error=\"key_name\"", noNameHtml);
        Assert.Contains("data-error=\"key_scope\"", badScopeHtml);
        Assert.DoesNotMatch(KeyPattern(), noNameHtml + badScopeHtml);
        Assert.Equal(before, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM api_keys"));
    }

    [Fact]
    public async Task Another_tenant_s_key_is_neither_listed_nor_revocable()
    {
        var otherKeyId = Guid.CreateVersion7();
        await using (var connection = new Npgsql.NpgsqlConnection(app.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash) VALUES ($1, $2, 'Other tenant key', $3, '\\x01')", connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = otherKeyId });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = app.Other.TenantId });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.NewGuid().ToString("N")[..8] });
            await command.ExecuteNonQueryAsync();
        }
        using var browser = await app.SignedInAsAdminAsync();

        using var revoke = await ManagementForms.PostAsync(browser, $"/api-keys/{otherKeyId}/revoke");

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.True(await app.Rows.ScalarAsync<bool>("SELECT revoked_at IS NULL FROM api_keys WHERE id = $1", otherKeyId));
        Assert.DoesNotContain("Other tenant key", await ManagementForms.PageAsync(browser, "/api-keys"));
    }

    [GeneratedRegex("sa_[0-9a-f]{8}_[A-Za-z0-9_-]{32}")]
    private static partial Regex KeyPattern();
}
