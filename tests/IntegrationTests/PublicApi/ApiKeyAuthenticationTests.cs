using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

public sealed class ApiKeyAuthenticationTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    private const string ConversationsPath = "/api/v1/conversations";

    [Fact]
    public async Task A_request_without_a_key_gets_401_problem_details_with_a_trace_id()
    {
        using var client = api.Client();

        var response = await client.GetAsync(ConversationsPath);

        var problem = await AssertUnauthorizedAsync(response);
        Assert.Equal("Missing X-Api-Key header", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("unknown prefix")]
    [InlineData("not a key at all")]
    public async Task A_wrong_key_gets_401(string wrongness)
    {
        var key = wrongness switch
        {
            "wrong secret" => api.TenantA.ApiKey[..^4] + "AAAA",
            "unknown prefix" => "sa_00000000_" + api.TenantA.ApiKey.Split('_', 3)[2],
            _ => "let-me-in",
        };
        using var client = api.Client(key);

        var response = await client.GetAsync(ConversationsPath);

        var problem = await AssertUnauthorizedAsync(response);
        Assert.Equal("Invalid API key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_revoked_key_gets_401()
    {
        using var client = api.Client(api.RevokedKeyOfA);

        var response = await client.GetAsync(ConversationsPath);

        var problem = await AssertUnauthorizedAsync(response);
        Assert.Equal("Invalid API key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_key_of_a_suspended_tenant_gets_401()
    {
        using var client = api.Client(api.Suspended.ApiKey);

        var response = await client.GetAsync(ConversationsPath);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task A_valid_key_is_let_in_and_its_use_is_recorded()
    {
        var tenant = await api.Arrange.AddTenantAsync("Tenant with a fresh key");
        using var client = api.Client(tenant.ApiKey);

        var response = await client.GetAsync(ConversationsPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lastUsedAt = await api.Arrange.ScalarAsync<DateTime>("SELECT last_used_at FROM api_keys WHERE id = $1", tenant.ApiKeyId);
        Assert.InRange(lastUsedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Health_checks_only_PostgreSQL_and_needs_no_key()
    {
        using var client = api.Client();

        var health = await client.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var checks = health.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order().ToArray();
        Assert.Equal(["PostgreSql", "self"], checks); // Aspire.Npgsql names its check "PostgreSql"
    }

    private static async Task<JsonElement> AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ApiKey", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }
}
