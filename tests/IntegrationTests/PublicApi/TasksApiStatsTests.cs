using System.Net;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>GET /api/v1/tasks/stats on a tenant whose tasks are arranged to known numbers.</summary>
public sealed class TasksApiStatsTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task Stats_count_by_status_and_type_measure_the_queue_and_take_percentiles_of_the_last_day()
    {
        var tenant = await api.Arrange.AddTenantAsync("Watches its pipeline");
        var now = DateTimeOffset.UtcNow;
        await api.Arrange.AddTaskAsync(tenant, "Queued", "ai.generate", scheduledAt: now.AddMinutes(-10));
        await api.Arrange.AddTaskAsync(tenant, "Queued", "mail.send", scheduledAt: now.AddMinutes(-2));
        await api.Arrange.AddTaskAsync(tenant, "Queued", "ai.generate", scheduledAt: now.AddHours(1)); // not due: not waiting
        await api.Arrange.AddTaskAsync(tenant, "Running", "ai.generate", startedAt: now.AddSeconds(-3));
        // Durations 1 s … 10 s, finished within the last day.
        for (var seconds = 1; seconds <= 10; seconds++)
        {
            var finished = now.AddHours(-1).AddMinutes(-seconds);
            await api.Arrange.AddTaskAsync(tenant, "Succeeded", "ai.generate", startedAt: finished.AddSeconds(-seconds), finishedAt: finished);
        }
        var twoDaysAgo = now.AddDays(-2);
        await api.Arrange.AddTaskAsync(tenant, "Succeeded", "ai.generate", startedAt: twoDaysAgo.AddSeconds(-1000), finishedAt: twoDaysAgo);
        await api.Arrange.AddTaskAsync(tenant, "Cancelled", "mail.send", finishedAt: now.AddMinutes(-1));
        await api.Arrange.AddTaskAsync(tenant, "DeadLetter", "mail.send", startedAt: now.AddMinutes(-3), finishedAt: now.AddMinutes(-2));
        using var client = api.Client(tenant.ApiKey);

        var stats = await (await client.GetAsync("/api/v1/tasks/stats")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(
            new Dictionary<string, int> { ["Created"] = 0, ["Queued"] = 3, ["Running"] = 1, ["Succeeded"] = 11, ["Failed"] = 0, ["Cancelled"] = 1, ["DeadLetter"] = 1 },
            Counts(stats.GetProperty("byStatus")));
        Assert.Equal(new Dictionary<string, int> { ["ai.generate"] = 14, ["mail.send"] = 3 }, Counts(stats.GetProperty("byType")));
        Assert.Equal(2, stats.GetProperty("queueDepth").GetInt32());
        Assert.InRange(stats.GetProperty("oldestQueuedAgeSeconds").GetDouble(), 600, 660);
        var durations = stats.GetProperty("succeeded24h");
        Assert.Equal(10, durations.GetProperty("count").GetInt32());
        // percentile_cont interpolates: over 1…10, p50 = 5.5, p95 = 9 + 0.55, p99 = 9 + 0.91.
        Assert.Equal(5.5, durations.GetProperty("p50Seconds").GetDouble(), 3);
        Assert.Equal(9.55, durations.GetProperty("p95Seconds").GetDouble(), 3);
        Assert.Equal(9.91, durations.GetProperty("p99Seconds").GetDouble(), 3);
    }

    [Fact]
    public async Task A_tenant_without_tasks_gets_zeros_and_nulls()
    {
        var tenant = await api.Arrange.AddTenantAsync("Has no tasks yet");
        using var client = api.Client(tenant.ApiKey);

        var stats = await (await client.GetAsync("/api/v1/tasks/stats")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.All(Counts(stats.GetProperty("byStatus")).Values, count => Assert.Equal(0, count));
        Assert.Empty(stats.GetProperty("byType").EnumerateObject());
        Assert.Equal(0, stats.GetProperty("queueDepth").GetInt32());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("oldestQueuedAgeSeconds").ValueKind);
        var durations = stats.GetProperty("succeeded24h");
        Assert.Equal(0, durations.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, durations.GetProperty("p50Seconds").ValueKind);
    }

    private static Dictionary<string, int> Counts(JsonElement counts)
        => counts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
}
