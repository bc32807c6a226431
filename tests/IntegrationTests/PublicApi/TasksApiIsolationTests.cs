using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>Another tenant's tasks do not exist for a key: 404 everywhere (never 403), absent from lists and stats.</summary>
public sealed class TasksApiIsolationTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    /// <summary>GET, cancel, attempts and artifacts of one task id.</summary>
    public static async Task<HttpResponseMessage[]> CallEveryTaskEndpointAsync(HttpClient client, Guid id) =>
    [
        await client.GetAsync($"/api/v1/tasks/{id}"),
        await client.PostAsync($"/api/v1/tasks/{id}/cancel", null),
        await client.GetAsync($"/api/v1/tasks/{id}/attempts"),
        await client.GetAsync($"/api/v1/tasks/{id}/artifacts"),
    ];

    [Fact]
    public async Task Another_tenant_s_task_is_404_on_every_endpoint_and_is_left_alone()
    {
        var owner = await api.Arrange.AddTenantAsync("Owns the task");
        var other = await api.Arrange.AddTenantAsync("Probes for it");
        using var ownerClient = api.Client(owner.ApiKey);
        using var otherClient = api.Client(other.ApiKey);
        var id = await ownerClient.CreateTaskAsync(TasksHttp.ValidBody(payload: new { prompt = "secret of the owner" }));
        await api.Arrange.AddAttemptAsync(owner, id, 1, "Failed", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, errorCode: "timeout");
        await api.Arrange.AddArtifactAsync(owner, id, "text", "secret output", null, DateTimeOffset.UtcNow);

        foreach (var response in await CallEveryTaskEndpointAsync(otherClient, id))
        {
            await response.ReadProblemAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("Queued", await api.Arrange.ScalarAsync<string>("SELECT status FROM tasks WHERE id = $1", id));
        foreach (var response in await CallEveryTaskEndpointAsync(ownerClient, id))
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.RequestUri}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Lists_and_stats_hold_only_the_key_s_own_tasks()
    {
        var mine = await api.Arrange.AddTenantAsync("Lists its own");
        var theirs = await api.Arrange.AddTenantAsync("Has more tasks");
        using var client = api.Client(mine.ApiKey);
        using var theirClient = api.Client(theirs.ApiKey);
        var own = await client.CreateTaskAsync(TasksHttp.ValidBody(type: "ai.generate"));
        // Created after mine, so a leak would show up first in my newest-first list.
        await theirClient.CreateTaskAsync(TasksHttp.ValidBody(type: "ai.generate"));
        await theirClient.CreateTaskAsync(TasksHttp.MessageSendBody());

        var list = await client.GetAsync("/api/v1/tasks");
        var byType = await client.GetAsync("/api/v1/tasks?type=ai.generate");
        var stats = await client.GetFromJsonAsync<JsonElement>("/api/v1/tasks/stats");

        Assert.Equal([own], (await list.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal("1", list.TotalCount());
        Assert.Equal([own], (await byType.ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal(1, stats.GetProperty("byStatus").GetProperty("Queued").GetInt32());
        Assert.Equal(["ai.generate"], stats.GetProperty("byType").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, stats.GetProperty("queueDepth").GetInt32());
    }

    [Fact]
    public async Task Every_task_endpoint_needs_a_key()
    {
        using var client = api.Client();

        var responses = (await CallEveryTaskEndpointAsync(client, Guid.CreateVersion7()))
            .Append(await client.GetAsync("/api/v1/tasks"))
            .Append(await client.GetAsync("/api/v1/tasks/stats"))
            .Append(await client.PostTaskAsync(TasksHttp.ValidBody()));

        foreach (var response in responses)
        {
            await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        }
    }
}
