using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.IntegrationTests.PublicApi;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Webhooks;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Webhooks;

/// <summary>
/// Outbound webhooks end to end, all real: subscriptions made through the PublicApi, events written to the outbox as
/// the services write them, the outbox relay and RabbitMQ, the fan-out consumer, the task engine running
/// <c>webhook.deliver</c>, and a partner's endpoint on a real Kestrel port whose signatures the test checks with its own
/// implementation of the specification.
/// </summary>
[Collection(TaskEngineCollection.Name)]
public sealed class WebhookDeliveryTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly List<TaskEngineHost> _engines = [];
    private WebhookReceiver _receiver = null!;
    private PublicApiFactory _api = null!;
    private ApiArrangement _arrange = null!;
    private ApiTenant _a = null!;
    private ApiTenant _b = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _arrange = new ApiArrangement(fixture.Database.OwnerConnectionString);
        _a = await _arrange.AddTenantAsync("webhooks-a-" + Guid.NewGuid().ToString("N"));
        _b = await _arrange.AddTenantAsync("webhooks-b-" + Guid.NewGuid().ToString("N"));
        _receiver = await WebhookReceiver.StartAsync();
        _api = new PublicApiFactory(fixture.Database.AppConnectionString, new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync(),
            // The tests poll the delivery log; polling is not what the rate limits are tested on.
            ["PublicApi:RateLimits:Plans:trial:PerKey"] = "1000000",
            ["PublicApi:RateLimits:Plans:trial:PerTenant"] = "1000000",
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Events_reach_only_their_own_tenants_subscriptions_signed_per_standard_webhooks()
    {
        await StartEngineAsync();
        var ofA = await SubscribeAsync(_a, "/a", "message.created", "task.succeeded");
        var ofB = await SubscribeAsync(_b, "/b", "message.created", "task.succeeded");

        var message = await AddMessageAsync(_a, "Olá, quero um orçamento");
        var task = await fixture.EnqueueAsync(_a.TenantId, RecordingProcessor.TaskType);
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/a").Count >= 2, Timeout, "tenant A's two events", Logs);
        // Then B's own event: once it has arrived, A's fan-out is long done, so anything of A's at /b would be there too.
        var messageOfB = await AddMessageAsync(_b, "Mensagem de B");
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/b").Count >= 1, Timeout, "tenant B's event", Logs);

        var atA = _receiver.ReceivedAt("/a");
        Assert.Equal(2, atA.Count);
        Assert.All(atA, webhook =>
        {
            Assert.True(IndependentSignature.Verifies(ofA.Secret, webhook), $"signature {webhook.Signature} does not verify");
            Assert.False(IndependentSignature.Verifies(ofB.Secret, webhook));
            Assert.True(IndependentSignature.IsFresh(webhook));
            Assert.StartsWith("msg_", webhook.Id);
            Assert.StartsWith("application/json", webhook.ContentType);
        });
        var created = JsonDocument.Parse(Assert.Single(atA, w => w.Body.Contains("\"message.created\"")).Body).RootElement;
        Assert.Equal(message.ToString(), created.GetProperty("data").GetProperty("messageId").GetString());
        Assert.Equal("Olá, quero um orçamento", created.GetProperty("data").GetProperty("content").GetProperty("text").GetString());
        var succeeded = JsonDocument.Parse(Assert.Single(atA, w => w.Body.Contains("\"task.succeeded\"")).Body).RootElement;
        Assert.Equal((task.ToString(), RecordingProcessor.TaskType),
            (succeeded.GetProperty("data").GetProperty("taskId").GetString(), succeeded.GetProperty("data").GetProperty("type").GetString()));

        var atB = Assert.Single(_receiver.ReceivedAt("/b"));
        Assert.Contains(messageOfB.ToString(), atB.Body);
        Assert.True(IndependentSignature.Verifies(ofB.Secret, atB));
        // The deliveries' own tasks succeeded too, and were not reported as task.succeeded (which would never end).
        await Wait.UntilAsync(async () => (await fixture.TasksAsync(_a.TenantId)).Count(t => t.Type == WebhookDeliveryTasks.TaskType && t.Status == TaskItemStatus.Succeeded) == 2,
            Timeout, "A's two delivery tasks to succeed", Logs);
        Assert.Equal(2, await DeliveryCountAsync(_a));
    }

    [Fact]
    public async Task Failures_are_retried_under_the_same_webhook_id_the_log_shows_every_attempt_and_a_replay_sends_it_again()
    {
        await StartEngineAsync();
        var subscription = await SubscribeAsync(_a, "/flaky", "message.created");
        _receiver.Answer("/flaky", 500, 500);

        await AddMessageAsync(_a, "Primeira tentativa falha");
        await Wait.UntilAsync(async () => await StatusAsync(subscription.Id) == "delivered",
            Timeout, "the delivery to succeed on its third attempt", Logs);

        var received = _receiver.ReceivedAt("/flaky");
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.All(received, r => Assert.True(IndependentSignature.Verifies(subscription.Secret, r)));
        var delivery = Assert.Single(await DeliveriesAsync(subscription.Id));
        Assert.Equal(received[0].Id, delivery.GetProperty("webhookId").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([false, false, true], attempts.Select(a => a.GetProperty("succeeded").GetBoolean()));
        Assert.StartsWith(WebhookDeliveryException.ReceiverError, attempts[0].GetProperty("error").GetString());
        Assert.All(attempts, a => Assert.True(a.GetProperty("durationMs").GetInt32() >= 0));

        using var client = Client(_a);
        var replay = await client.PostAsync($"/api/v1/webhooks/{subscription.Id}/deliveries/{delivery.GetProperty("id").GetString()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/flaky").Count == 4, Timeout, "the replay", Logs);
        Assert.Equal((received[0].Id, received[0].Body), (_receiver.ReceivedAt("/flaky")[3].Id, _receiver.ReceivedAt("/flaky")[3].Body));
        await Wait.UntilAsync(async () => (await DeliveriesAsync(subscription.Id))[0].GetProperty("attempts").GetArrayLength() == 4,
            Timeout, "the replay's attempt in the log", Logs);
    }

    [Fact]
    public async Task A_retry_waits_for_the_receivers_Retry_After_and_the_log_shows_when()
    {
        await StartEngineAsync();
        var subscription = await SubscribeAsync(_a, "/busy", "message.created");
        _receiver.AnswerWithRetryAfter("/busy", 503, "3600");

        await AddMessageAsync(_a, "Estamos ocupados");
        await Wait.UntilAsync(async () => (await DeliveriesAsync(subscription.Id)) is [var d]
                && d.GetProperty("status").GetString() == "pending" && d.GetProperty("attempts").GetArrayLength() == 1,
            Timeout, "the first attempt to fail and wait", Logs);

        var delivery = Assert.Single(await DeliveriesAsync(subscription.Id));
        Assert.Equal(503, delivery.GetProperty("attempts")[0].GetProperty("statusCode").GetInt32());
        Assert.True(delivery.GetProperty("nextAttemptAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(59));
        Assert.Single(_receiver.ReceivedAt("/busy"));
    }

    [Fact]
    public async Task A_410_disables_the_subscription_with_a_reason_tells_the_tenant_and_nothing_more_is_sent()
    {
        await StartEngineAsync();
        var subscription = await SubscribeAsync(_a, "/gone", "message.created");
        _receiver.Answer("/gone", 410);

        await AddMessageAsync(_a, "Ninguém em casa");
        using var client = Client(_a);
        await Wait.UntilAsync(async () => await StatusAsync(subscription.Id) == "failed", Timeout, "the delivery to fail for good", Logs);

        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{subscription.Id}");
        Assert.Equal("disabled", shown.GetProperty("status").GetString());
        Assert.Contains("410", shown.GetProperty("disabledReason").GetString());
        await using (var db = fixture.Context(_a.TenantId))
        {
            var notice = await db.OutboxMessages.AsNoTracking().SingleAsync(o => o.EventType == "WebhookSubscriptionDisabled");
            Assert.Contains(subscription.Id.ToString(), notice.Payload);
        }
        var delivery = Assert.Single(await DeliveriesAsync(subscription.Id));
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetArrayLength());

        // A later event fans out to nobody: the subscription no longer matches.
        var later = await fixture.EnqueueAsync(_a.TenantId, RecordingProcessor.TaskType);
        await AddMessageAsync(_a, "Depois de desativada");
        await Wait.UntilAsync(() => fixture.StatusIsAsync(_a.TenantId, later, TaskItemStatus.Succeeded), Timeout, "an unrelated task");
        Assert.Single(_receiver.ReceivedAt("/gone"));
        Assert.Equal(1, await DeliveryCountAsync(_a));
    }

    [Fact]
    public async Task A_subscription_failing_every_attempt_is_disabled_after_the_configured_run_of_failures()
    {
        await StartEngineAsync(new() { ["Webhooks:Delivery:DisableAfterConsecutiveFailures"] = "3" });
        var subscription = await SubscribeAsync(_a, "/down", "message.created");
        _receiver.Answer("/down", 500, 500, 500, 500, 500);

        await AddMessageAsync(_a, "Servidor fora do ar");
        await Wait.UntilAsync(async () => await StatusAsync(subscription.Id) == "failed",
            Timeout, "the delivery to fail for good", Logs);

        Assert.Equal(3, _receiver.ReceivedAt("/down").Count);
        var attempts = (await DeliveriesAsync(subscription.Id))[0].GetProperty("attempts").EnumerateArray().ToList();
        // The fourth attempt found the subscription disabled and sent nothing.
        Assert.Equal(4, attempts.Count);
        Assert.StartsWith(WebhookDeliveryException.SubscriptionDisabled, attempts[3].GetProperty("error").GetString());
        using var client = Client(_a);
        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{subscription.Id}");
        Assert.Equal(("disabled", "3 consecutive deliveries failed."), (shown.GetProperty("status").GetString(), shown.GetProperty("disabledReason").GetString()));
    }

    [Fact]
    public async Task Outside_development_a_delivery_to_a_loopback_address_is_refused_before_connecting_and_the_log_says_why()
    {
        // The subscription was accepted (the API runs as Development); the worker's policy is production's.
        await StartEngineAsync(new() { ["Webhooks:Delivery:AllowPrivateTargets"] = "false" });
        var subscription = await SubscribeAsync(_a, "/internal", "message.created");

        await AddMessageAsync(_a, "Tentativa de SSRF");
        await Wait.UntilAsync(async () => await StatusAsync(subscription.Id) == "failed",
            Timeout, "the delivery to be refused", Logs);

        var attempt = Assert.Single((await DeliveriesAsync(subscription.Id))[0].GetProperty("attempts").EnumerateArray());
        Assert.StartsWith(WebhookDeliveryException.TargetRefused, attempt.GetProperty("error").GetString());
        Assert.Contains("127.0.0.1", attempt.GetProperty("error").GetString());
        Assert.False(attempt.TryGetProperty("statusCode", out var statusCode) && statusCode.ValueKind != JsonValueKind.Null, "no status code without an answer");
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task After_a_rotation_deliveries_carry_both_signatures_until_the_overlap_ends()
    {
        await StartEngineAsync();
        var subscription = await SubscribeAsync(_a, "/rotating", "message.created");
        using var client = Client(_a);
        var rotation = await client.PostAsync($"/api/v1/webhooks/{subscription.Id}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(subscription.Secret, newSecret);
        Assert.InRange(rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24));

        await AddMessageAsync(_a, "Durante a troca");
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/rotating").Count == 1, Timeout, "the delivery during the overlap", Logs);
        var during = _receiver.ReceivedAt("/rotating")[0];
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.Contains(IndependentSignature.Expected(newSecret, during), during.Signature.Split(' '));
        Assert.Contains(IndependentSignature.Expected(subscription.Secret, during), during.Signature.Split(' '));

        await _arrange.ExecuteAsync("UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1", subscription.Id);
        await AddMessageAsync(_a, "Depois da troca");
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/rotating").Count == 2, Timeout, "the delivery after the overlap", Logs);
        var after = _receiver.ReceivedAt("/rotating")[1];
        Assert.Equal(IndependentSignature.Expected(newSecret, after), after.Signature);
        Assert.False(IndependentSignature.Verifies(subscription.Secret, after));
    }

    [Fact]
    public async Task An_event_published_twice_is_delivered_once()
    {
        await StartEngineAsync();
        await SubscribeAsync(_a, "/once", "conversation.created", "conversation.updated");
        var conversation = Guid.CreateVersion7();
        var created = new ConversationStateChanged { TenantId = _a.TenantId, ConversationId = conversation, To = "NEW", Version = 1, ChangedAt = DateTimeOffset.UtcNow };

        await AddEventsAsync(_a, created);
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/once").Count >= 1, Timeout, "the event", Logs);
        // At least once: the relay publishes it again, as after a crash between publishing and marking it published.
        await _arrange.ExecuteAsync("UPDATE outbox_messages SET published_at = NULL, locked_until = NULL WHERE id = $1", created.EventId);
        await Wait.UntilAsync(async () => await _arrange.ScalarAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE id = $1 AND published_at IS NOT NULL AND attempts >= 2", created.EventId) == 1,
            Timeout, "the event to be published a second time", Logs);
        // A later event of the same stream: once it has arrived, a second copy of the first would have too.
        await AddEventsAsync(_a, new ConversationStateChanged { TenantId = _a.TenantId, ConversationId = conversation, From = "NEW", To = "PROGRESS", Version = 2, ChangedAt = DateTimeOffset.UtcNow });
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/once").Any(r => r.Body.Contains("conversation.updated")), Timeout, "the later event", Logs);

        Assert.Single(_receiver.ReceivedAt("/once"), r => r.Body.Contains("conversation.created"));
        Assert.Equal(2, await DeliveryCountAsync(_a));
    }

    [Fact]
    public async Task Conversation_events_and_a_task_s_final_failure_become_conversation_created_updated_and_task_failed()
    {
        await StartEngineAsync();
        var subscription = await SubscribeAsync(_a, "/lifecycle", "conversation.created", "conversation.updated", "task.failed");
        var conversation = Guid.CreateVersion7();
        var agent = Guid.CreateVersion7();
        var failedTask = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow;

        await AddEventsAsync(_a,
            new ConversationStateChanged { TenantId = _a.TenantId, ConversationId = conversation, From = null, To = "NEW", Version = 1, ChangedAt = at },
            new ConversationStateChanged { TenantId = _a.TenantId, ConversationId = conversation, From = "NEW", To = "PROGRESS", Version = 2, ChangedAt = at },
            new ConversationHandoffChanged
            {
                TenantId = _a.TenantId, ConversationId = conversation, From = "assistant", To = "human", AssignedAgentId = agent,
                Reason = "customer asked for a person", Version = 3, ChangedAt = at,
            },
            new TaskDeadLettered { TenantId = _a.TenantId, TaskId = failedTask, Type = "ai.generate", Attempts = 3, ErrorCode = "provider_unavailable", ErrorDetail = "503" },
            // A delivery's own final failure is not reported: it would make another delivery.
            new TaskDeadLettered { TenantId = _a.TenantId, TaskId = Guid.CreateVersion7(), Type = WebhookDeliveryTasks.TaskType, Attempts = 50, ErrorCode = "receiver_error" },
            // Not subscribed to: no delivery.
            new TaskSucceeded { TenantId = _a.TenantId, TaskId = Guid.CreateVersion7(), Type = "ai.generate", Attempt = 1 });
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/lifecycle").Count >= 4, Timeout, "the four lifecycle events", Logs);
        // Then one more event: once it has arrived, anything the two ignored events could have made would be there too.
        await AddEventsAsync(_a, new ConversationStateChanged { TenantId = _a.TenantId, ConversationId = conversation, From = "PROGRESS", To = "CLOSED", Version = 4, ChangedAt = at });
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/lifecycle").Count >= 5, Timeout, "the closing event", Logs);

        var received = _receiver.ReceivedAt("/lifecycle");
        Assert.Equal(5, received.Count);
        Assert.All(received, r => Assert.True(IndependentSignature.Verifies(subscription.Secret, r)));
        var bodies = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        JsonElement Data(string type, Func<JsonElement, bool> where) => Assert.Single(bodies, b => b.GetProperty("type").GetString() == type && where(b.GetProperty("data"))).GetProperty("data");

        var created = Data("conversation.created", _ => true);
        Assert.Equal((conversation, "NEW"), (created.GetProperty("conversationId").GetGuid(), created.GetProperty("state").GetString()));
        var state = Data("conversation.updated", d => d.GetProperty("change").GetString() == "state" && d.GetProperty("to").GetString() == "PROGRESS");
        Assert.Equal((conversation, "NEW", 2), (state.GetProperty("conversationId").GetGuid(), state.GetProperty("from").GetString(), state.GetProperty("version").GetInt32()));
        var handoff = Data("conversation.updated", d => d.GetProperty("change").GetString() == "handoff");
        Assert.Equal(("assistant", "human", agent, "customer asked for a person"), (handoff.GetProperty("from").GetString(), handoff.GetProperty("to").GetString(),
            handoff.GetProperty("assignedAgentId").GetGuid(), handoff.GetProperty("reason").GetString()));
        Data("conversation.updated", d => d.GetProperty("to").GetString() == "CLOSED");
        var failed = Data("task.failed", _ => true);
        Assert.Equal((failedTask, "ai.generate", 3, "provider_unavailable", "503"), (failed.GetProperty("taskId").GetGuid(), failed.GetProperty("type").GetString(),
            failed.GetProperty("attempts").GetInt32(), failed.GetProperty("errorCode").GetString(), failed.GetProperty("errorDetail").GetString()));
        Assert.True(failed.TryGetProperty("failedAt", out _));
        Assert.Equal(5, await DeliveryCountAsync(_a));
    }

    [Fact]
    public async Task A_delivery_failing_for_its_whole_retry_window_disables_the_subscription_and_the_tenant_is_told_until_it_is_re_enabled()
    {
        // The production rule on a short window: retries while the next one would still land inside it, then disabled.
        await StartEngineAsync(new() { ["Webhooks:Delivery:RetryWindow"] = "00:00:02" });
        var subscription = await SubscribeAsync(_a, "/dead", "message.created");
        _receiver.Answer("/dead", [.. Enumerable.Repeat(500, 200)]);

        await AddMessageAsync(_a, "Ninguém responde");
        await Wait.UntilAsync(async () => await StatusAsync(subscription.Id) == "failed", Timeout, "the delivery's window to end", Logs);

        using var client = Client(_a);
        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{subscription.Id}");
        Assert.Equal("disabled", shown.GetProperty("status").GetString());
        Assert.Contains("over its retry window", shown.GetProperty("disabledReason").GetString());
        var delivery = Assert.Single(await DeliveriesAsync(subscription.Id));
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.True(attempts.Count >= 3, $"only {attempts.Count} attempts: the window was not used");
        Assert.All(attempts, a => Assert.Equal(500, a.GetProperty("statusCode").GetInt32()));

        // The tenant is told: a notice for the CRM, from the WebhookSubscriptionDisabled event, once.
        await Wait.UntilAsync(async () =>
        {
            await using var db = fixture.Context(_a.TenantId);
            return await db.TenantNotifications.AnyAsync(n => n.SubjectId == subscription.Id);
        }, Timeout, "the tenant's notice", Logs);
        await using (var db = fixture.Context(_a.TenantId))
        {
            var notice = await db.TenantNotifications.AsNoTracking().SingleAsync(n => n.SubjectId == subscription.Id);
            Assert.Equal(("webhook_subscription_disabled", _receiver.Url("/dead"), shown.GetProperty("disabledReason").GetString()),
                (notice.Kind, notice.Subject, notice.Detail));
            Assert.Null(notice.ReadAt);
        }
        await using (var other = fixture.Context(_b.TenantId))
        {
            Assert.False(await other.TenantNotifications.AnyAsync());
        }

        // Fixed and re-enabled: new events are delivered again, and the notice is read.
        _receiver.Reset("/dead");
        var enabled = await client.PostAsync($"/api/v1/webhooks/{subscription.Id}/enable", null);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var body = await enabled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("disabledReason", out var reason) && reason.ValueKind != JsonValueKind.Null, "no reason once enabled");
        await using (var db = fixture.Context(_a.TenantId))
        {
            Assert.NotNull((await db.TenantNotifications.AsNoTracking().SingleAsync(n => n.SubjectId == subscription.Id)).ReadAt);
        }
        var before = _receiver.ReceivedAt("/dead").Count;
        await AddMessageAsync(_a, "De volta");
        await Wait.UntilAsync(() => _receiver.ReceivedAt("/dead").Count > before && _receiver.ReceivedAt("/dead")[^1].Body.Contains("De volta"),
            Timeout, "a delivery after re-enabling", Logs);
    }

    [Fact]
    public async Task Enable_is_for_the_subscription_s_own_tenant_with_the_write_scope_and_changes_nothing_on_an_active_one()
    {
        var subscription = await SubscribeAsync(_a, "/fine", "message.created");
        var (readOnlyKey, _) = await _arrange.AddApiKeyAsync(_a.TenantId, scopes: ["webhooks:read"]);
        using var client = Client(_a);
        using var stranger = Client(_b);
        using var readOnly = _api.CreateClient();
        readOnly.DefaultRequestHeaders.Add("X-Api-Key", readOnlyKey);

        var active = await client.PostAsync($"/api/v2/webhooks/{subscription.Id}/enable", null);
        var foreign = await stranger.PostAsync($"/api/v1/webhooks/{subscription.Id}/enable", null);
        var forbidden = await readOnly.PostAsync($"/api/v1/webhooks/{subscription.Id}/enable", null);

        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        Assert.Equal("active", (await active.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("webhook_subscription_not_found", (await foreign.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private async Task StartEngineAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:AllowPrivateTargets"] = "true",
            ["Tasks:RetryPolicies:webhook.deliver:BaseDelay"] = "00:00:00.050",
            ["Tasks:RetryPolicies:webhook.deliver:MaxDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        _engines.Add(await TaskEngineHost.StartAsync(fixture, new ExecutionLog(), all, builder => builder.AddWebhookDelivery()));
    }

    private HttpClient Client(ApiTenant tenant)
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        return client;
    }

    private async Task<(Guid Id, string Secret)> SubscribeAsync(ApiTenant tenant, string path, params string[] events)
    {
        using var client = Client(tenant);
        var response = await client.PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url(path), events });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    private async Task<List<JsonElement>> DeliveriesAsync(Guid subscriptionId)
    {
        using var client = Client(_a);
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{subscriptionId}/deliveries");
        return [.. page.GetProperty("data").EnumerateArray()];
    }

    /// <summary>The newest delivery's status, or null before the fan-out has made one.</summary>
    private async Task<string?> StatusAsync(Guid subscriptionId) =>
        (await DeliveriesAsync(subscriptionId)) is [var newest, ..] ? newest.GetProperty("status").GetString() : null;

    private async Task<int> DeliveryCountAsync(ApiTenant tenant)
    {
        await using var db = fixture.Context(tenant.TenantId);
        return await db.WebhookDeliveries.CountAsync();
    }

    /// <summary>Integration events written to the outbox in one transaction, as the services write them.</summary>
    private async Task AddEventsAsync(ApiTenant tenant, params IntegrationEvent[] events)
    {
        await using var db = fixture.Context(tenant.TenantId);
        foreach (var @event in events)
        {
            db.AddIntegrationEvent(@event);
        }
        await db.SaveChangesAsync();
    }

    /// <summary>A stored message's MessageAdded, written to the outbox as the MessageProcessor writes it.</summary>
    private async Task<Guid> AddMessageAsync(ApiTenant tenant, string text)
    {
        var messageId = Guid.CreateVersion7();
        await using var db = fixture.Context(tenant.TenantId);
        db.AddIntegrationEvent(new MessageAdded
        {
            TenantId = tenant.TenantId,
            ConversationId = Guid.CreateVersion7(),
            MessageId = messageId,
            ChannelId = tenant.ChannelId,
            ChannelType = ChannelType.WhatsApp,
            Direction = MessageDirection.Inbound,
            Content = MessageContent.FromText(text),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return messageId;
    }

    private string Logs() => string.Join('\n', _engines.Select(e => e.Log.Tail(30)));
}
