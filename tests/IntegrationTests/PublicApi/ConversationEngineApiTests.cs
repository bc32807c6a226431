using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// What issue 9 asks the v1 API to show of the conversation engine and had no test yet: a conversation's rolling summary,
/// and the reply tasks listed by type (<c>GET /api/v1/tasks?type=ai.reply</c>).
/// </summary>
public sealed class ConversationEngineApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task A_summarized_conversation_shows_its_summary()
    {
        var tenant = await api.Arrange.AddTenantAsync("Summarized");
        var conversation = await api.Arrange.AddConversationAsync(tenant, "Joana", DateTimeOffset.UtcNow);
        const string Summary = "Joana asked about gluten-free bread and Sunday hours; she prefers delivery.";
        await api.Arrange.ExecuteAsync("UPDATE conversations SET summary = $1 WHERE id = $2", Summary, conversation.ConversationId);
        using var client = api.Client(tenant.ApiKey);

        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation.ConversationId}");

        Assert.Equal(Summary, shown.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task The_reply_tasks_are_listed_by_type_and_only_the_tenants_own()
    {
        var tenant = await api.Arrange.AddTenantAsync("Lists its replies");
        var now = DateTimeOffset.UtcNow;
        var older = await api.Arrange.AddTaskAsync(tenant, "Succeeded", "ai.reply", createdAt: now.AddMinutes(-5),
            startedAt: now.AddMinutes(-5), finishedAt: now.AddMinutes(-5));
        await api.Arrange.AddTaskAsync(tenant, "Queued", "message.send", createdAt: now.AddMinutes(-4));
        var newer = await api.Arrange.AddTaskAsync(tenant, "Queued", "ai.reply", createdAt: now.AddMinutes(-3));
        var other = await api.Arrange.AddTenantAsync("Someone else's replies");
        await api.Arrange.AddTaskAsync(other, "Queued", "ai.reply", createdAt: now.AddMinutes(-2));
        using var client = api.Client(tenant.ApiKey);

        var response = await client.GetAsync("/api/v1/tasks?type=ai.reply");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tasks = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal([newer, older], tasks.Select(t => t.GetProperty("id").GetGuid()));
        Assert.All(tasks, t => Assert.Equal("ai.reply", t.GetProperty("type").GetString()));
    }
}
