using System.Net;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>POST /api/v1/tasks/{id}/cancel: at once when queued, requested when running, 409 when already ended.</summary>
public sealed class TasksApiCancelTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task A_queued_task_is_cancelled_at_once_and_TaskCancelled_goes_to_the_outbox()
    {
        var tenant = await api.Arrange.AddTenantAsync("Cancels a queued task");
        using var client = api.Client(tenant.ApiKey);
        var id = await client.CreateTaskAsync();

        var response = await client.PostAsync($"/api/v1/tasks/{id}/cancel", null);

        var task = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("Cancelled", task.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, task.GetProperty("cancelRequestedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, task.GetProperty("finishedAt").ValueKind);
        Assert.Equal("Cancelled", await api.Arrange.ScalarAsync<string>("SELECT status FROM tasks WHERE id = $1", id));
        Assert.Equal(1, await api.Arrange.CountOutboxEventsAsync("TaskCancelled", id));
    }

    [Fact]
    public async Task A_scheduled_task_is_cancelled_at_once_too()
    {
        var tenant = await api.Arrange.AddTenantAsync("Cancels a scheduled task");
        var id = await api.Arrange.AddTaskAsync(tenant, "Queued", scheduledAt: DateTimeOffset.UtcNow.AddDays(1));
        using var client = api.Client(tenant.ApiKey);

        var task = await (await client.PostAsync($"/api/v1/tasks/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("Cancelled", task.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_running_task_gets_a_cancel_request_and_keeps_running_until_its_worker_stops_it()
    {
        var tenant = await api.Arrange.AddTenantAsync("Cancels a running task");
        var id = await api.Arrange.AddTaskAsync(tenant, "Running", startedAt: DateTimeOffset.UtcNow.AddSeconds(-5));
        using var client = api.Client(tenant.ApiKey);

        var first = await (await client.PostAsync($"/api/v1/tasks/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.Accepted);
        var again = await (await client.PostAsync($"/api/v1/tasks/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("Running", first.GetProperty("status").GetString());
        var requestedAt = first.GetProperty("cancelRequestedAt").GetDateTimeOffset();
        // Asking again changes nothing: the first request's time stands.
        Assert.Equal(requestedAt, again.GetProperty("cancelRequestedAt").GetDateTimeOffset());
        Assert.True(await api.Arrange.ScalarAsync<bool>("SELECT cancel_requested_at IS NOT NULL FROM tasks WHERE id = $1", id));
        Assert.Equal(0, await api.Arrange.CountOutboxEventsAsync("TaskCancelled", id));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Cancelled")]
    [InlineData("DeadLetter")]
    public async Task An_ended_task_is_409_and_stays_as_it_was(string status)
    {
        var tenant = await api.Arrange.AddTenantAsync($"Cancels a {status} task");
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var id = await api.Arrange.AddTaskAsync(tenant, status, startedAt: at, finishedAt: at.AddSeconds(10));
        using var client = api.Client(tenant.ApiKey);

        var response = await client.PostAsync($"/api/v1/tasks/{id}/cancel", null);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("task_already_ended", problem.GetProperty("code").GetString());
        Assert.Equal(status, await api.Arrange.ScalarAsync<string>("SELECT status FROM tasks WHERE id = $1", id));
    }
}
