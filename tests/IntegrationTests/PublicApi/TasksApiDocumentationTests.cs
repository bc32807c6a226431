using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>The task contract in the v1 OpenAPI document, with the Idempotency-Key header described for clients.</summary>
public sealed class TasksApiDocumentationTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task The_v1_document_lists_the_task_paths_with_the_idempotency_key_header_and_the_api_key()
    {
        using var client = api.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.Superset(
            new HashSet<string>(["/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/tasks/{id}/cancel", "/api/v1/tasks/{id}/attempts",
                "/api/v1/tasks/{id}/artifacts", "/api/v1/tasks/stats"]),
            paths.EnumerateObject().Select(p => p.Name).ToHashSet());
        var create = paths.GetProperty("/api/v1/tasks").GetProperty("post");
        var header = Assert.Single(create.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.False(header.TryGetProperty("required", out var required) && required.GetBoolean());
        Assert.Contains("same key", header.GetProperty("description").GetString());
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var responses = create.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string>(["202", "400", "401", "422"]), responses);
        Assert.True(create.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
    }
}
