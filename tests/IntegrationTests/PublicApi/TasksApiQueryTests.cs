using System.Net;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>Reading tasks: one, lists with filters and pages, and the audit trail (attempts, artifacts).</summary>
public sealed class TasksApiQueryTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task A_task_is_found_by_id()
    {
        var tenant = await api.Arrange.AddTenantAsync("Reads a task");
        using var client = api.Client(tenant.ApiKey);
        var id = await client.CreateTaskAsync(TasksHttp.ValidBody(type: "DOCUMENT_SUMMARY", priority: 3));

        var task = await (await client.GetAsync($"/api/v1/tasks/{id}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(id, task.GetProperty("id").GetGuid());
        Assert.Equal("ai.generate", task.GetProperty("type").GetString()); // seed 001's alias, stored under our name
        Assert.Equal(3, task.GetProperty("priority").GetInt32());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("domainType").ValueKind);
    }

    [Fact]
    public async Task An_unknown_task_is_404_on_every_endpoint()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        foreach (var response in await TasksApiIsolationTests.CallEveryTaskEndpointAsync(client, Guid.CreateVersion7()))
        {
            var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("task_not_found", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_list_is_newest_first_filtered_by_status_and_type_and_paged_with_the_total_count()
    {
        var tenant = await api.Arrange.AddTenantAsync("Lists tasks");
        var now = DateTimeOffset.UtcNow;
        // Inserted out of order, so "newest first" must come from created_at.
        var queuedOld = await api.Arrange.AddTaskAsync(tenant, "Queued", "mail.send", createdAt: now.AddMinutes(-50));
        var succeeded = await api.Arrange.AddTaskAsync(tenant, "Succeeded", "ai.generate", createdAt: now.AddMinutes(-40),
            startedAt: now.AddMinutes(-39), finishedAt: now.AddMinutes(-38));
        var queuedNew = await api.Arrange.AddTaskAsync(tenant, "Queued", "ai.generate", createdAt: now.AddMinutes(-10));
        var deadLetter = await api.Arrange.AddTaskAsync(tenant, "DeadLetter", "ai.generate", createdAt: now.AddMinutes(-30),
            startedAt: now.AddMinutes(-29), finishedAt: now.AddMinutes(-28));
        var queuedMiddle = await api.Arrange.AddTaskAsync(tenant, "Queued", "ai.generate", createdAt: now.AddMinutes(-20));
        using var client = api.Client(tenant.ApiKey);

        var all = await client.GetAsync("/api/v1/tasks?status=&type=");
        var queued = await client.GetAsync("/api/v1/tasks?status=queued");
        var queuedAi = await client.GetAsync("/api/v1/tasks?status=Queued&type=ai.generate");
        var deadLetters = await client.GetAsync("/api/v1/tasks?status=deadletter");
        var page1 = await client.GetAsync("/api/v1/tasks?page=1&pageSize=2");
        var page3 = await client.GetAsync("/api/v1/tasks?page=3&pageSize=2");
        var beyond = await client.GetAsync("/api/v1/tasks?page=4&pageSize=2");

        Assert.Equal([queuedNew, queuedMiddle, deadLetter, succeeded, queuedOld], (await all.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal("5", all.TotalCount());
        Assert.Equal([queuedNew, queuedMiddle, queuedOld], (await queued.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal("3", queued.TotalCount());
        Assert.Equal([queuedNew, queuedMiddle], (await queuedAi.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal("2", queuedAi.TotalCount());
        var deadLetterTask = Assert.Single((await deadLetters.ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("DeadLetter", deadLetterTask.GetProperty("status").GetString());
        Assert.Equal([queuedNew, queuedMiddle], (await page1.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal([queuedOld], (await page3.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Empty((await beyond.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.All([page1, page3, beyond], r => Assert.Equal("5", r.TotalCount()));
    }

    [Theory]
    [InlineData("status=Done", "status")]
    [InlineData("status=1", "status")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=101", "pageSize")]
    public async Task Invalid_list_parameters_are_a_validation_problem(string query, string field)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.GetAsync($"/api/v1/tasks?{query}");

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Attempts_come_in_attempt_order_with_model_tokens_cost_latency_and_error()
    {
        var tenant = await api.Arrange.AddTenantAsync("Reads attempts");
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var taskId = await api.Arrange.AddTaskAsync(tenant, "Succeeded", startedAt: start, finishedAt: start.AddMinutes(3));
        // The second attempt is written first, so the order must come from attempt_no.
        await api.Arrange.AddAttemptAsync(tenant, taskId, 2, "Succeeded", start.AddMinutes(2), start.AddMinutes(3),
            model: "claude-sonnet", tokensIn: 120, tokensOut: 45, cost: 0.001234m, latencyMs: 850);
        await api.Arrange.AddAttemptAsync(tenant, taskId, 1, "Failed", start, start.AddSeconds(30),
            model: "gpt-4o-mini", tokensIn: 100, tokensOut: 0, cost: 0m, latencyMs: 30000, errorCode: "timeout", errorDetail: "no answer in 30 s");
        using var client = api.Client(tenant.ApiKey);

        var attempts = await (await client.GetAsync($"/api/v1/tasks/{taskId}/attempts")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([1, 2], attempts.EnumerateArray().Select(a => a.GetProperty("attemptNo").GetInt32()));
        var (failed, succeeded) = (attempts[0], attempts[1]);
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Equal("gpt-4o-mini", failed.GetProperty("model").GetString());
        Assert.Equal("timeout", failed.GetProperty("errorCode").GetString());
        Assert.Equal("no answer in 30 s", failed.GetProperty("errorDetail").GetString());
        Assert.Equal(30000, failed.GetProperty("latencyMs").GetInt32());
        Assert.Equal(start, failed.GetProperty("startedAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(start.AddSeconds(30), failed.GetProperty("endedAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal("Succeeded", succeeded.GetProperty("status").GetString());
        Assert.Equal("claude-sonnet", succeeded.GetProperty("model").GetString());
        Assert.Equal(120, succeeded.GetProperty("tokensIn").GetInt32());
        Assert.Equal(45, succeeded.GetProperty("tokensOut").GetInt32());
        Assert.Equal(0.001234m, succeeded.GetProperty("cost").GetDecimal());
        Assert.Equal(850, succeeded.GetProperty("latencyMs").GetInt32());
        Assert.Equal(JsonValueKind.Null, succeeded.GetProperty("errorCode").ValueKind);
    }

    [Fact]
    public async Task Artifacts_come_oldest_first_with_content_or_uri()
    {
        var tenant = await api.Arrange.AddTenantAsync("Reads artifacts");
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var taskId = await api.Arrange.AddTaskAsync(tenant, "Succeeded", startedAt: at, finishedAt: at.AddSeconds(5));
        var link = await api.Arrange.AddArtifactAsync(tenant, taskId, "link", null, "https://example.com/report.pdf", at.AddSeconds(2));
        var text = await api.Arrange.AddArtifactAsync(tenant, taskId, "text", "Olá! Seu pedido saiu para entrega.", null, at.AddSeconds(1));
        var emptyTask = await api.Arrange.AddTaskAsync(tenant, "Queued");
        using var client = api.Client(tenant.ApiKey);

        var artifacts = await (await client.GetAsync($"/api/v1/tasks/{taskId}/artifacts")).ReadJsonAsync(HttpStatusCode.OK);
        var none = await (await client.GetAsync($"/api/v1/tasks/{emptyTask}/artifacts")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([text, link], artifacts.Ids());
        Assert.Equal("text", artifacts[0].GetProperty("kind").GetString());
        Assert.Equal("Olá! Seu pedido saiu para entrega.", artifacts[0].GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, artifacts[0].GetProperty("uri").ValueKind);
        Assert.Equal("link", artifacts[1].GetProperty("kind").GetString());
        Assert.Equal("https://example.com/report.pdf", artifacts[1].GetProperty("uri").GetString());
        Assert.Empty(none.EnumerateArray());
    }
}
