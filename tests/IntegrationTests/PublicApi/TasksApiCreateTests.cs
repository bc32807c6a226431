using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.PublicApi.Tasks;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>POST /api/v1/tasks: the 202 contract, the outbox row, and idempotency. Each test uses a tenant of its own.</summary>
public sealed class TasksApiCreateTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task Create_answers_202_with_the_location_and_the_queued_task_and_writes_TaskQueued_to_the_outbox()
    {
        var tenant = await api.Arrange.AddTenantAsync("Creates a task");
        using var client = api.Client(tenant.ApiKey);
        var before = DateTimeOffset.UtcNow;

        var response = await client.PostTaskAsync(new
        {
            type = "ai.generate",
            priority = 7,
            payload = new { prompt = "Resuma o pedido", context = new[] { "a", "b" } },
            maxAttempts = 5,
            domainType = "CustomerSupport",
            capabilityType = "LLM_Generation",
            executionType = "Async",
        }, idempotencyKey: "create-1");

        var task = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        var id = task.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/tasks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("ai.generate", task.GetProperty("type").GetString());
        Assert.Equal("Queued", task.GetProperty("status").GetString());
        Assert.Equal(7, task.GetProperty("priority").GetInt32());
        Assert.Equal("Resuma o pedido", task.GetProperty("payload").GetProperty("prompt").GetString());
        Assert.Equal(5, task.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(0, task.GetProperty("attemptCount").GetInt32());
        Assert.Equal("CustomerSupport", task.GetProperty("domainType").GetString());
        Assert.Equal("LLM_Generation", task.GetProperty("capabilityType").GetString());
        Assert.Equal("Async", task.GetProperty("executionType").GetString());
        Assert.Equal("create-1", task.GetProperty("idempotencyKey").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("finishedAt").ValueKind);
        // No scheduledAt: due at once.
        Assert.InRange(task.GetProperty("scheduledAt").GetDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal(1, await api.Arrange.CountOutboxEventsAsync("TaskQueued", id));
        Assert.Equal("Queued", await api.Arrange.ScalarAsync<string>("SELECT status FROM tasks WHERE id = $1", id));
        var fetched = await (await client.GetAsync($"/api/v1/tasks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["a", "b"], fetched.GetProperty("payload").GetProperty("context").EnumerateArray().Select(e => e.GetString()));
        // The 202's times are the stored ones (microseconds), not finer ones that a later read would contradict.
        foreach (var time in new[] { "scheduledAt", "createdAt", "updatedAt" })
        {
            Assert.Equal(task.GetProperty(time).GetString(), fetched.GetProperty(time).GetString());
        }
    }

    [Fact]
    public async Task A_scheduled_task_is_queued_for_its_time_and_the_wake_up_says_so()
    {
        var tenant = await api.Arrange.AddTenantAsync("Schedules a task");
        using var client = api.Client(tenant.ApiKey);
        var at = DateTimeOffset.UtcNow.AddHours(3);

        var task = await (await client.PostTaskAsync(new { type = "ai.generate", priority = -5, payload = new { prompt = "Relatório diário" }, scheduledAt = at }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(at, task.GetProperty("scheduledAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var id = task.GetProperty("id").GetGuid();
        var wakeUpAt = await api.Arrange.ScalarAsync<string>(
            "SELECT payload->>'scheduledAt' FROM outbox_messages WHERE event_type = 'TaskQueued' AND payload->>'taskId' = $1", id.ToString());
        Assert.Equal(at, DateTimeOffset.Parse(wakeUpAt, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Without_a_key_every_post_creates_a_task()
    {
        var tenant = await api.Arrange.AddTenantAsync("Posts without a key");
        using var client = api.Client(tenant.ApiKey);

        var first = await client.CreateTaskAsync();
        var second = await client.CreateTaskAsync();

        Assert.NotEqual(first, second);
        Assert.Equal(2, await api.Arrange.CountTasksAsync(tenant));
    }

    [Fact]
    public async Task The_same_key_with_the_same_body_returns_the_same_task_without_a_second_row_or_event()
    {
        var tenant = await api.Arrange.AddTenantAsync("Retries a post");
        using var client = api.Client(tenant.ApiKey);
        var first = await client.PostTaskAsync(TasksHttp.ValidBody(), "same-key");
        var firstTask = await first.ReadJsonAsync(HttpStatusCode.Accepted);

        // The same request, written differently: key order, whitespace, escapes, enum case, an explicit default.
        var replay = await client.PostTaskRawAsync(
            """{ "payload": {"prompt":"Ol\u00e1, tudo bem?"},"priority":0, "maxAttempts": 3, "type":"ai.generate" }""", "same-key");

        var replayTask = await replay.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(firstTask.GetProperty("id").GetGuid(), replayTask.GetProperty("id").GetGuid());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(1, await api.Arrange.CountTasksAsync(tenant));
        Assert.Equal(1, await api.Arrange.CountOutboxEventsAsync("TaskQueued", firstTask.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_creates_nothing()
    {
        var tenant = await api.Arrange.AddTenantAsync("Reuses a key");
        using var client = api.Client(tenant.ApiKey);
        await client.CreateTaskAsync(TasksHttp.ValidBody(priority: 1), "reused-key");

        var response = await client.PostTaskAsync(TasksHttp.ValidBody(priority: 2), "reused-key");

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency_key_reused", problem.GetProperty("code").GetString());
        Assert.Equal(1, await api.Arrange.CountTasksAsync(tenant));
    }

    [Fact]
    public async Task Concurrent_identical_posts_with_one_key_create_one_task()
    {
        var tenant = await api.Arrange.AddTenantAsync("Posts twice at once");
        using var client = api.Client(tenant.ApiKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostTaskAsync(TasksHttp.ValidBody(), "racing-key")));

        var ids = new HashSet<Guid>();
        foreach (var response in responses)
        {
            ids.Add((await response.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        }

        var id = Assert.Single(ids);
        Assert.Equal(1, await api.Arrange.CountTasksAsync(tenant));
        Assert.Equal(1, await api.Arrange.CountOutboxEventsAsync("TaskQueued", id));
    }

    [Fact]
    public async Task Keys_are_per_tenant()
    {
        var first = await api.Arrange.AddTenantAsync("First tenant of a shared key");
        var second = await api.Arrange.AddTenantAsync("Second tenant of a shared key");
        using var firstClient = api.Client(first.ApiKey);
        using var secondClient = api.Client(second.ApiKey);

        var firstId = await firstClient.CreateTaskAsync(TasksHttp.ValidBody(priority: 1), "shared-key");
        // A different body too: the other tenant's use of the key must neither replay nor refuse.
        var secondId = await secondClient.CreateTaskAsync(TasksHttp.ValidBody(priority: 2), "shared-key");

        Assert.NotEqual(firstId, secondId);
    }

    [Fact]
    public async Task A_new_task_counts_as_created_by_type_and_a_replay_of_its_key_does_not()
    {
        var tenant = await api.Arrange.AddTenantAsync("Counts created tasks");
        using var client = api.Client(tenant.ApiKey);
        // Seed 003's spelling, counted under our name.
        using var created = new CreatedTasksCounter(api.Factory.Services, "message.send");
        var messageId = Guid.NewGuid();
        var body = new { type = "MESSAGE_SEND", priority = 0, payload = new { messageId } };

        await client.CreateTaskAsync(body, "counted-key");
        Assert.Equal(1, created.Count);

        await client.CreateTaskAsync(body, "counted-key");
        await (await client.PostTaskAsync(body with { priority = 9 }, "counted-key"))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, created.Count);

        // Racing posts with one key: those that lose the insert answer as replays of the winner.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.CreateTaskAsync(body, "racing-counted-key")));
        Assert.Equal(2, created.Count);
    }

    /// <summary>
    /// saas.tasks.created of this class's PublicApi for one task type, through a MeterListener; only this host's meter,
    /// as other hosts in the test run create meters of the same name.
    /// </summary>
    private sealed class CreatedTasksCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public CreatedTasksCounter(IServiceProvider services, string type)
        {
            var meterFactory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TasksApiMetrics.MeterName && instrument.Meter.Scope == meterFactory && instrument.Name == "saas.tasks.created")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "task.type" && Equals(tag.Value, type))
                    {
                        Interlocked.Add(ref _count, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
