using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>/api/v1 and /api/v2 side by side: one OpenAPI 3.0 document each, v2's cursor pages, v1's deprecation headers.</summary>
public sealed class ApiVersioningTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Each_version_has_an_OpenAPI_3_0_document_with_only_its_own_paths(string version)
    {
        using var client = api.Client();

        var document = await client.GetFromJsonAsync<JsonElement>($"/openapi/{version}.json");

        Assert.StartsWith("3.0.", document.GetProperty("openapi").GetString());
        Assert.Equal(version, document.GetProperty("info").GetProperty("version").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/api/")).ToArray();
        Assert.All(paths, path => Assert.StartsWith($"/api/{version}/", path));
        Assert.Contains($"/api/{version}/conversations", paths);
        Assert.Contains($"/api/{version}/tasks", paths);
        // The version is part of the path, not a parameter a client must fill in.
        var parameters = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .SelectMany(o => o.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(p => p.GetProperty("name").GetString());
        Assert.DoesNotContain("version", parameters);
    }

    [Fact]
    public async Task Swagger_UI_lists_both_versions()
    {
        using var client = api.Client();

        var config = await client.GetStringAsync("/swagger/index.js");

        Assert.Contains("/openapi/v1.json", config);
        Assert.Contains("/openapi/v2.json", config);
    }

    [Fact]
    public async Task The_v1_reads_that_v2_replaces_carry_Deprecation_Sunset_and_a_successor_link_and_still_answer()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var conversation = api.ConversationsOfA[0].ConversationId;

        var response = await client.GetAsync($"/api/v1/conversations/{conversation}/messages");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("@1796256000", Assert.Single(response.Headers.GetValues("Deprecation"))); // 2026-12-03T00:00:00Z
        Assert.Equal("Wed, 30 Jun 2027 00:00:00 GMT", Assert.Single(response.Headers.GetValues("Sunset")));
        Assert.Contains($"</api/v2/conversations/{conversation}/messages>; rel=\"successor-version\"", Assert.Single(response.Headers.GetValues("Link")));
        Assert.Contains("1", Assert.Single(response.Headers.GetValues("api-supported-versions")));
    }

    [Fact]
    public async Task The_task_contract_is_not_deprecated_and_answers_in_both_versions()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var v1 = await client.GetAsync("/api/v1/tasks");
        var v2 = await client.GetAsync("/api/v2/tasks");
        var v2Conversations = await client.GetAsync("/api/v2/conversations");

        foreach (var response in new[] { v1, v2, v2Conversations })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Deprecation"));
            Assert.False(response.Headers.Contains("Sunset"));
        }
    }

    [Fact]
    public async Task The_v1_document_marks_the_replaced_operations_deprecated()
    {
        using var client = api.Client();

        var v1 = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var v2 = await client.GetFromJsonAsync<JsonElement>("/openapi/v2.json");

        Assert.True(v1.GetProperty("paths").GetProperty("/api/v1/conversations").GetProperty("get").GetProperty("deprecated").GetBoolean());
        Assert.False(v1.GetProperty("paths").GetProperty("/api/v1/tasks").GetProperty("get").TryGetProperty("deprecated", out _));
        Assert.False(v2.GetProperty("paths").GetProperty("/api/v2/conversations").GetProperty("get").TryGetProperty("deprecated", out _));
    }

    [Fact]
    public async Task An_unknown_version_is_a_client_error_problem()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.GetAsync("/api/v3/conversations");

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task V2_pages_conversations_with_a_cursor_and_never_shows_another_tenant_s()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var first = await (await client.GetAsync("/api/v2/conversations?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await client.GetAsync($"/api/v2/conversations?limit=2&cursor={cursor}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(api.ConversationsOfA.Take(2).Select(c => c.ConversationId), first.GetProperty("data").Ids());
        Assert.NotNull(cursor);
        Assert.Equal([api.ConversationsOfA[2].ConversationId], second.GetProperty("data").Ids());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task V2_messages_carry_the_whole_content_oldest_first()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var conversation = api.ConversationsOfA[1];

        var first = await (await client.GetAsync($"/api/v2/conversations/{conversation.ConversationId}/messages?limit=1")).ReadJsonAsync(HttpStatusCode.OK);
        var rest = await (await client.GetAsync(
            $"/api/v2/conversations/{conversation.ConversationId}/messages?limit=1&cursor={first.GetProperty("nextCursor").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);

        var message = Assert.Single(first.GetProperty("data").EnumerateArray());
        Assert.Equal(conversation.Messages[0].Id, message.GetProperty("id").GetGuid());
        Assert.Equal(conversation.Messages[0].Text, message.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal([conversation.Messages[1].Id], rest.GetProperty("data").Ids());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    public async Task A_bad_page_query_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var problem = await (await client.GetAsync($"/api/v2/conversations?{query}")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([parameter], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Another_tenant_s_conversation_is_not_found_in_v2()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.GetAsync($"/api/v2/conversations/{api.ConversationOfB.ConversationId}/messages");

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
