using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// Idempotency-Key on every POST that creates something: each version's OpenAPI document says which they are, and the
/// ones whose own test classes do not cover a replay and a misuse are exercised here (webhook subscriptions; a started
/// conversation with another body). Tasks, assistants, agent messages and knowledge uploads are in their classes.
/// </summary>
public sealed class IdempotencyKeyTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    /// <summary>The creating POSTs (201 or 202 with a new resource), by operation id.</summary>
    private static readonly string[] CreatingOperations =
    [
        "CreateAssistant", "CreateTask", "CreateWebhookSubscription", "SendConversationMessage", "StartConversation", "UploadKnowledgeDocument",
    ];

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_POST_that_answers_201_documents_the_Idempotency_Key_header(string version)
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var document = await client.GetFromJsonAsync<JsonElement>($"/openapi/{version}.json");
        var posts = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name == "post").Select(o => (Path: path.Name, Operation: o.Value)))
            .ToList();

        var withKey = posts.Where(p => p.Operation.TryGetProperty("parameters", out var parameters)
                && parameters.EnumerateArray().Any(x => x.GetProperty("name").GetString() == "Idempotency-Key" && x.GetProperty("in").GetString() == "header"))
            .Select(p => p.Operation.GetProperty("operationId").GetString()!)
            .ToHashSet();
        var creating = posts.Where(p => p.Operation.GetProperty("responses").TryGetProperty("201", out _))
            .Select(p => p.Operation.GetProperty("operationId").GetString()!);

        Assert.All(creating, operation => Assert.Contains(operation, withKey));
        Assert.All(withKey, operation => Assert.Contains(operation, CreatingOperations));
        // Every creating operation this version has carries the key (v2 has no task or knowledge routes of its own).
        var inVersion = posts.Select(p => p.Operation.GetProperty("operationId").GetString()!).Intersect(CreatingOperations);
        Assert.Equal(inVersion.Order(), withKey.Order());
        Assert.Contains("StartConversation", withKey);
    }

    [Fact]
    public async Task A_webhook_subscription_retried_with_its_key_returns_the_same_id_and_secret_and_another_body_is_422()
    {
        var tenant = await api.Arrange.AddTenantAsync("Retries its subscription");
        using var client = api.Client(tenant.ApiKey);
        var key = "subscribe-" + Guid.NewGuid();

        var first = await (await client.SendAsync(Post("/api/v1/webhooks",
            """{"url": "http://127.0.0.1:9/hooks", "events": ["message.created", "task.failed"]}""", key))).ReadJsonAsync(HttpStatusCode.Created);
        // The same request: other property order, the events in another order and repeated.
        var retry = await (await client.SendAsync(Post("/api/v2/webhooks",
            """{"events": ["task.failed", "message.created", "task.failed"], "url": "http://127.0.0.1:9/hooks"}""", key))).ReadJsonAsync(HttpStatusCode.Created);
        var other = await (await client.SendAsync(Post("/api/v1/webhooks",
            """{"url": "http://127.0.0.1:9/other", "events": ["message.created"]}""", key))).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(first.GetProperty("id").GetGuid(), retry.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("secret").GetString(), retry.GetProperty("secret").GetString());
        Assert.Equal("idempotency_key_reused", other.GetProperty("code").GetString());
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = $1", tenant.TenantId));
    }

    [Fact]
    public async Task Without_a_key_every_subscription_post_creates_one()
    {
        var tenant = await api.Arrange.AddTenantAsync("Subscribes twice");
        using var client = api.Client(tenant.ApiKey);
        const string Body = """{"url": "http://127.0.0.1:9/hooks", "events": ["message.created"]}""";

        await (await client.SendAsync(Post("/api/v1/webhooks", Body, null))).ReadJsonAsync(HttpStatusCode.Created);
        await (await client.SendAsync(Post("/api/v1/webhooks", Body, null))).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(2L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = $1", tenant.TenantId));
    }

    [Fact]
    public async Task A_started_conversation_s_key_with_another_body_is_422_and_starts_nothing()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var phone = "5521" + Random.Shared.Next(10_000_000, 99_999_999);
        var otherPhone = "5531" + Random.Shared.Next(10_000_000, 99_999_999);
        var key = "start-" + Guid.NewGuid();
        var template = new { name = "boas_vindas", language = "pt_BR" };

        await (await client.SendAsync(Post("/api/v2/conversations",
            JsonSerializer.Serialize(new { channelId = api.TenantA.ChannelId, contact = new { externalId = phone }, template }), key))).ReadJsonAsync(HttpStatusCode.Created);
        var other = await (await client.SendAsync(Post("/api/v2/conversations",
            JsonSerializer.Serialize(new { channelId = api.TenantA.ChannelId, contact = new { externalId = otherPhone }, template }), key))).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("idempotency_key_reused", other.GetProperty("code").GetString());
        Assert.Equal(0L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE external_id = $1", otherPhone));
    }

    private static HttpRequestMessage Post(string path, string json, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }
}
