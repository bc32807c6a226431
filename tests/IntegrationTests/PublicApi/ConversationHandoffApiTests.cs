using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>The conversation engine's fields on the v1 resource, and an agent taking a conversation over through the API.</summary>
public sealed class ConversationHandoffApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    private Task<Guid> AddAgentAsync(Guid tenantId) => api.Arrange.ScalarAsync<Guid>(
        "INSERT INTO users (id, tenant_id, email, display_name, password_hash) VALUES (gen_random_uuid(), $1, $2, 'Ana', 'x') RETURNING id",
        tenantId, $"ana-{Guid.NewGuid():N}@example.com");

    private static bool Absent(JsonElement element, string name)
        => !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    [Fact]
    public async Task A_conversation_shows_its_state_handoff_agent_and_summary()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var conversation = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{api.ConversationsOfA[2].ConversationId}");

        Assert.Equal("PENDING", conversation.GetProperty("state").GetString());
        Assert.Equal("assistant", conversation.GetProperty("handoff").GetString());
        // The API leaves null members out.
        Assert.True(Absent(conversation, "assignedAgentId"));
        Assert.True(Absent(conversation, "summary"));
    }

    [Fact]
    public async Task An_agent_takes_over_and_hands_back_and_each_change_is_an_event()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var id = api.ConversationsOfA[0].ConversationId;
        var agent = await AddAgentAsync(api.TenantA.TenantId);
        // Handing back needs an assistant to hand back to.
        await api.Arrange.ScalarAsync<Guid>("""
            WITH a AS (INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt) VALUES (gen_random_uuid(), $1, $2, 'Bot', 'Be kind.') RETURNING id)
            UPDATE conversations SET assistant_id = (SELECT id FROM a) WHERE id = $3 RETURNING assistant_id
            """, api.TenantA.TenantId, api.TenantA.WorkspaceId, id);

        var takeOver = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/handoff", new { handoff = "human", agentId = agent });
        Assert.Equal(HttpStatusCode.OK, takeOver.StatusCode);
        var taken = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        Assert.Equal(("human", agent, "agent_took_over"),
            (taken.GetProperty("handoff").GetString(), taken.GetProperty("assignedAgentId").GetGuid(), taken.GetProperty("handoffReason").GetString()));

        var handBack = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/handoff", new { handoff = "assistant" });
        Assert.Equal(HttpStatusCode.OK, handBack.StatusCode);
        var back = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        Assert.Equal(("assistant", true), (back.GetProperty("handoff").GetString(), Absent(back, "assignedAgentId")));

        var events = await api.Arrange.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE event_type = 'ConversationHandoffChanged' AND payload->>'conversationId' = $1", id.ToString());
        Assert.Equal(2, events);
    }

    [Theory]
    [InlineData("""{"handoff":"robot"}""", "handoff")]
    [InlineData("""{"handoff":"human"}""", "agentId")]
    [InlineData("""{"handoff":"human","agentId":"0193a5c2-0000-7000-8000-000000000000"}""", "agentId")]
    public async Task A_bad_request_is_a_problem_naming_the_field(string body, string field)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.PostAsync($"/api/v1/conversations/{api.ConversationsOfA[1].ConversationId}/handoff",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task Another_tenants_agent_or_conversation_is_not_found()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var theirAgent = await AddAgentAsync(api.TenantB.TenantId);

        var theirConversation = await client.PostAsJsonAsync($"/api/v1/conversations/{api.ConversationOfB.ConversationId}/handoff",
            new { handoff = "assistant" });
        var withTheirAgent = await client.PostAsJsonAsync($"/api/v1/conversations/{api.ConversationsOfA[1].ConversationId}/handoff",
            new { handoff = "human", agentId = theirAgent });

        Assert.Equal(HttpStatusCode.NotFound, theirConversation.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withTheirAgent.StatusCode);
    }
}
