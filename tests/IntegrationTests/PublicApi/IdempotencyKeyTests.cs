using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// Idempotency-Key on every POST that creates something, and on the two a client retries after a timeout that must not
/// act twice (a secret rotation, a delivery replay): each version's OpenAPI document says which they are, and the ones
/// whose own test classes do not cover a replay and a misuse are exercised here (webhook subscriptions, rotations and
/// replays; a started conversation with another body). Tasks, assistants, agent messages and knowledge uploads are in
/// their classes.
/// </summary>
public sealed class IdempotencyKeyTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    /// <summary>The POSTs that take the key, by operation id: the creating ones (201 or 202 with a new resource), a rotation and a replay.</summary>
    private static readonly string[] KeyedOperations =
    [
        "CreateAssistant", "CreateTask", "CreateWebhookSubscription", "ReplayWebhookDelivery", "RotateWebhookSecret", "SendConversationMessage",
        "StartConversation", "UploadKnowledgeDocument",
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
        Assert.All(withKey, operation => Assert.Contains(operation, KeyedOperations));
        // Every keyed operation this version has carries the key (v2 has no task or knowledge routes of its own).
        var inVersion = posts.Select(p => p.Operation.GetProperty("operationId").GetString()!).Intersect(KeyedOperations);
        Assert.Equal(inVersion.Order(), withKey.Order());
        Assert.Contains("StartConversation", withKey);
        Assert.Contains("RotateWebhookSecret", withKey);
        Assert.Contains("ReplayWebhookDelivery", withKey);
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
    public async Task A_rotation_retried_with_its_key_returns_the_same_secret_and_rotates_once()
    {
        var tenant = await api.Arrange.AddTenantAsync("Retries its rotation");
        using var client = api.Client(tenant.ApiKey);
        var id = await SubscribeAsync(client);
        var original = await api.Arrange.ScalarAsync<byte[]>("SELECT secret_encrypted FROM webhook_subscriptions WHERE id = $1", id);
        var key = "rotate-" + Guid.NewGuid();

        var first = await (await client.SendAsync(Post($"/api/v1/webhooks/{id}/rotate-secret", null, key))).ReadJsonAsync(HttpStatusCode.OK);
        var retry = await (await client.SendAsync(Post($"/api/v2/webhooks/{id}/rotate-secret", null, key))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.StartsWith("whsec_", first.GetProperty("secret").GetString());
        Assert.Equal(first.GetProperty("secret").GetString(), retry.GetProperty("secret").GetString());
        Assert.Equal(first.GetProperty("previousSecretExpiresAt").GetDateTimeOffset(), retry.GetProperty("previousSecretExpiresAt").GetDateTimeOffset());
        // Rotated once: the secret from before the first request is the one that still signs beside the new one.
        Assert.Equal(original, await api.Arrange.ScalarAsync<byte[]>("SELECT previous_secret_encrypted FROM webhook_subscriptions WHERE id = $1", id));

        // The key on another subscription is another request.
        var otherId = await SubscribeAsync(client);
        var reused = await (await client.SendAsync(Post($"/api/v1/webhooks/{otherId}/rotate-secret", null, key))).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency_key_reused", reused.GetProperty("code").GetString());
        Assert.True(await api.Arrange.ScalarAsync<bool>("SELECT previous_secret_encrypted IS NULL FROM webhook_subscriptions WHERE id = $1", otherId));

        // Once a later rotation has replaced that secret, a retry cannot answer with it (it is not the one that signs).
        await (await client.SendAsync(Post($"/api/v1/webhooks/{id}/rotate-secret", null, "rotate-" + Guid.NewGuid()))).ReadJsonAsync(HttpStatusCode.OK);
        var stale = await (await client.SendAsync(Post($"/api/v1/webhooks/{id}/rotate-secret", null, key))).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("webhook_secret_rotated_again", stale.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_delivery_replay_retried_with_its_key_queues_one_task_and_answers_202_again()
    {
        var tenant = await api.Arrange.AddTenantAsync("Retries its replay");
        using var client = api.Client(tenant.ApiKey);
        var subscriptionId = await SubscribeAsync(client);
        var (deliveryId, finishedTask) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await api.Arrange.ExecuteAsync("""
            INSERT INTO tasks (id, tenant_id, type, status, attempt_count, started_at, finished_at)
                VALUES ($1, $2, 'webhook.deliver', 'DeadLetter', 1, now(), now())
            """, finishedTask, tenant.TenantId);
        await api.Arrange.ExecuteAsync("""
            INSERT INTO webhook_deliveries (id, tenant_id, subscription_id, event_id, event_type, message_id, body, task_id)
                VALUES ($1, $2, $3, $4, 'message.created', $5, '{}', $6)
            """, deliveryId, tenant.TenantId, subscriptionId, Guid.NewGuid(), "msg_" + deliveryId.ToString("N"), finishedTask);
        var replay = $"/api/v1/webhooks/{subscriptionId}/deliveries/{deliveryId}/replay";
        var key = "replay-" + Guid.NewGuid();

        var first = await (await client.SendAsync(Post(replay, null, key))).ReadJsonAsync(HttpStatusCode.Accepted);
        // The first replay's task is queued (nothing runs it here): without the key, a retry would be a 409.
        var retry = await (await client.SendAsync(Post(replay.Replace("/v1/", "/v2/"), null, key))).ReadJsonAsync(HttpStatusCode.Accepted);
        var inProgress = await (await client.SendAsync(Post(replay, null, null))).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(deliveryId, first.GetProperty("id").GetGuid());
        Assert.Equal(deliveryId, retry.GetProperty("id").GetGuid());
        Assert.Equal("pending", retry.GetProperty("status").GetString());
        Assert.Equal("webhook_delivery_in_progress", inProgress.GetProperty("code").GetString());
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>(
            "SELECT count(*) FROM tasks WHERE tenant_id = $1 AND type = 'webhook.deliver' AND payload->>'deliveryId' = $2", tenant.TenantId, deliveryId.ToString()));
        Assert.NotEqual(finishedTask, await api.Arrange.ScalarAsync<Guid>("SELECT task_id FROM webhook_deliveries WHERE id = $1", deliveryId));

        var reused = await (await client.SendAsync(Post($"/api/v1/webhooks/{subscriptionId}/rotate-secret", null, key))).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency_key_reused", reused.GetProperty("code").GetString());
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

    private static async Task<Guid> SubscribeAsync(HttpClient client)
        => (await (await client.SendAsync(Post("/api/v1/webhooks", """{"url": "http://127.0.0.1:9/hooks", "events": ["message.created"]}""", null)))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static HttpRequestMessage Post(string path, string? json, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }
}
