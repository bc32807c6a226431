using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>OAuth 2.0 client credentials at POST /oauth/token: an API key is the client, the JWT acts for its tenant and scopes.</summary>
public sealed class OAuthTokenTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task A_key_gets_a_bearer_token_that_acts_for_its_tenant_only()
    {
        using var client = api.Client();

        var response = await client.RequestTokenAsync(api.TenantA.ApiKey);

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 3590, 3600);
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal("ES256", OAuthHttp.Header(token).GetProperty("alg").GetString());
        var claims = OAuthHttp.Payload(token);
        Assert.Equal(api.TenantA.TenantId.ToString(), claims.GetProperty("tenant_id").GetString());
        Assert.Contains("tasks:write", claims.GetProperty("scope").GetString()!.Split(' '));

        using var bearer = api.Client().WithBearer(token);
        var conversations = await (await bearer.GetAsync("/api/v1/conversations")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(api.ConversationsOfA.Select(c => c.ConversationId), conversations.Ids());
        await (await bearer.GetAsync($"/api/v1/conversations/{api.ConversationOfB.ConversationId}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Client_credentials_may_come_as_HTTP_Basic()
    {
        using var client = api.Client();
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OAuthHttp.ClientId(api.TenantA.ApiKey)}:{api.TenantA.ApiKey}")));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong secret", 401, "invalid_client")]
    [InlineData("another key's client_id", 401, "invalid_client")]
    [InlineData("revoked key", 401, "invalid_client")]
    [InlineData("suspended tenant", 401, "invalid_client")]
    [InlineData("password grant", 400, "unsupported_grant_type")]
    [InlineData("scope the key lacks", 400, "invalid_scope")]
    public async Task A_bad_token_request_is_an_OAuth_error_in_a_problem(string wrongness, int status, string error)
    {
        using var client = api.Client();
        var limited = await api.Arrange.AddApiKeyAsync(api.TenantA.TenantId, scopes: ["tasks:read"]);

        var response = wrongness switch
        {
            "wrong secret" => await client.RequestTokenAsync(api.TenantA.ApiKey[..^4] + "AAAA"),
            "another key's client_id" => await client.RequestTokenAsync(api.TenantA.ApiKey, clientId: OAuthHttp.ClientId(api.TenantB.ApiKey)),
            "revoked key" => await client.RequestTokenAsync(api.RevokedKeyOfA),
            "suspended tenant" => await client.RequestTokenAsync(api.Suspended.ApiKey),
            "password grant" => await client.RequestTokenAsync(api.TenantA.ApiKey, grantType: "password"),
            _ => await client.RequestTokenAsync(limited.Key, scope: "tasks:read tasks:write"),
        };

        var problem = await response.ReadProblemAsync((HttpStatusCode)status);
        Assert.Equal(error, problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_json_body_is_a_400_invalid_request()
    {
        using var client = api.Client();

        var response = await client.PostAsJsonAsync("/oauth/token", new { grant_type = "client_credentials" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Scopes_are_checked_per_endpoint_for_tokens_and_keys_alike()
    {
        using var client = api.Client();
        var readOnlyToken = await client.TokenAsync(api.TenantA.ApiKey, scope: "tasks:read");
        var (conversationsOnlyKey, _) = await api.Arrange.AddApiKeyAsync(api.TenantA.TenantId, scopes: ["conversations:read"]);
        using var tokenClient = api.Client().WithBearer(readOnlyToken);
        using var keyClient = api.Client(conversationsOnlyKey);

        Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync("/api/v1/tasks")).StatusCode);
        var create = await (await tokenClient.PostTaskAsync(TasksHttp.ValidBody())).ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("tasks:write", create.GetProperty("requiredScope").GetString());
        await (await tokenClient.GetAsync("/api/v2/conversations")).ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await keyClient.GetAsync("/api/v2/conversations")).StatusCode);
        var tasks = await (await keyClient.GetAsync("/api/v1/tasks")).ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("tasks:read", tasks.GetProperty("requiredScope").GetString());
    }

    [Fact]
    public async Task A_tampered_or_foreign_token_is_401_with_a_bearer_challenge()
    {
        using var client = api.Client();
        var token = await client.TokenAsync(api.TenantA.ApiKey);
        var parts = token.Split('.');
        // The payload re-encoded for tenant B, the signature kept: the signature no longer matches.
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/') + new string('=', (4 - parts[1].Length % 4) % 4)))
                    .Replace(api.TenantA.TenantId.ToString(), api.TenantB.TenantId.ToString())))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var bearer = api.Client().WithBearer($"{parts[0]}.{forged}.{parts[2]}");

        var response = await bearer.GetAsync("/api/v1/conversations");

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task The_v1_document_describes_the_client_credentials_flow_and_each_operation_s_scope()
    {
        using var client = api.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var oauth = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("OAuth2");
        Assert.Equal("/oauth/token", oauth.GetProperty("flows").GetProperty("clientCredentials").GetProperty("tokenUrl").GetString());
        var create = document.GetProperty("paths").GetProperty("/api/v1/tasks").GetProperty("post");
        var requirement = create.GetProperty("security").EnumerateArray().Single(s => s.TryGetProperty("OAuth2", out _));
        Assert.Equal(["tasks:write"], requirement.GetProperty("OAuth2").EnumerateArray().Select(s => s.GetString()));
        Assert.True(document.GetProperty("paths").TryGetProperty("/oauth/token", out _));
    }
}
