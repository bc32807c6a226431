using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>Starting a conversation, sending as an agent and closing, through the real PublicApi and database.</summary>
public sealed class ConversationActionsApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    private Task<Guid> AddAgentAsync(Guid tenantId) => api.Arrange.ScalarAsync<Guid>(
        "INSERT INTO users (id, tenant_id, email, display_name, password_hash) VALUES (gen_random_uuid(), $1, $2, 'Ana', 'x') RETURNING id",
        tenantId, $"ana-{Guid.NewGuid():N}@example.com");

    private Task<ApiConversation> NewConversationAsync(DateTimeOffset lastAt)
        => api.Arrange.AddConversationAsync(api.TenantA, "Cliente " + Guid.NewGuid().ToString("N")[..6], lastAt);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("traceId", out _));
        return problem;
    }

    private static HttpRequestMessage Post(string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    [Fact]
    public async Task An_agent_s_message_is_queued_for_the_channel_and_takes_the_conversation_over()
    {
        var conversation = await NewConversationAsync(DateTimeOffset.UtcNow.AddMinutes(-3));
        var agent = await AddAgentAsync(api.TenantA.TenantId);
        using var client = api.Client(api.TenantA.ApiKey);

        using var response = await client.PostAsJsonAsync($"/api/v2/conversations/{conversation.ConversationId}/messages", new { text = "Oi, aqui é a Ana.", agentId = agent });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("outbound", "agent", "Oi, aqui é a Ana.", "queued"), (message.GetProperty("direction").GetString(), message.GetProperty("sender").GetString(),
            message.GetProperty("text").GetString(), message.GetProperty("deliveryStatus").GetString()));
        Assert.Equal($"/api/v2/conversations/{conversation.ConversationId}/messages", response.Headers.Location?.OriginalString);
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v2/conversations/{conversation.ConversationId}");
        Assert.Equal(("human", agent), (after.GetProperty("handoff").GetString(), after.GetProperty("assignedAgentId").GetGuid()));
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE type = 'message.send' AND payload->>'messageId' = $1",
            message.GetProperty("id").GetGuid().ToString()));
    }

    [Fact]
    public async Task An_idempotency_key_sends_once_and_refuses_another_body()
    {
        var conversation = await NewConversationAsync(DateTimeOffset.UtcNow.AddMinutes(-3));
        using var client = api.Client(api.TenantA.ApiKey);
        var path = $"/api/v1/conversations/{conversation.ConversationId}/messages";
        var key = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(Post(path, new { text = "Uma vez só" }, key));
        using var retry = await client.SendAsync(Post(path, new { text = "Uma vez só" }, key));
        using var other = await client.SendAsync(Post(path, new { text = "Outra coisa" }, key));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
            (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal("idempotency_key_reused", (await ProblemAsync(other, HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1 AND sender = 'agent'", conversation.ConversationId));
    }

    [Fact]
    public async Task Outside_whatsapp_s_window_free_text_is_a_conflict_and_a_template_goes_out()
    {
        var conversation = await NewConversationAsync(DateTimeOffset.UtcNow.AddHours(-30));
        using var client = api.Client(api.TenantA.ApiKey);
        var path = $"/api/v1/conversations/{conversation.ConversationId}/messages";

        using var refused = await client.PostAsJsonAsync(path, new { text = "Ainda aí?" });
        using var template = await client.PostAsJsonAsync(path, new { template = new { name = "retomar_contato", language = "pt_BR", parameters = new[] { "Ana" } } });

        Assert.Equal("outside_service_window", (await ProblemAsync(refused, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, template.StatusCode);
        Assert.Equal("[retomar_contato]", (await template.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_business_starts_a_whatsapp_conversation_with_a_template_once_per_contact()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var phone = "5511" + Random.Shared.Next(10_000_000, 99_999_999);
        var template = new { name = "boas_vindas", language = "pt_BR" };

        using var noTemplate = await client.PostAsJsonAsync("/api/v1/conversations", new { channelId = api.TenantA.ChannelId, contact = new { externalId = phone }, text = "Oi!" });
        using var started = await client.SendAsync(Post("/api/v1/conversations",
            new { channelId = api.TenantA.ChannelId, contact = new { externalId = phone, name = "Rita" }, template }, "start-" + phone));
        using var replay = await client.SendAsync(Post("/api/v1/conversations",
            new { channelId = api.TenantA.ChannelId, contact = new { externalId = phone, name = "Rita" }, template }, "start-" + phone));
        using var again = await client.PostAsJsonAsync("/api/v1/conversations", new { channelId = api.TenantA.ChannelId, contact = new { externalId = phone }, template });

        Assert.Equal("outside_service_window", (await ProblemAsync(noTemplate, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var conversation = body.GetProperty("conversation");
        var id = conversation.GetProperty("id").GetGuid();
        Assert.Equal(("Rita", phone, "PROGRESS", "human", "queued"), (conversation.GetProperty("contact").GetProperty("displayName").GetString(),
            conversation.GetProperty("contact").GetProperty("externalId").GetString(), conversation.GetProperty("state").GetString(),
            conversation.GetProperty("handoff").GetString(), body.GetProperty("message").GetProperty("deliveryStatus").GetString()));
        Assert.Equal($"/api/v1/conversations/{id}", started.Headers.Location?.OriginalString);
        Assert.Equal(id, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversation").GetProperty("id").GetGuid());
        var conflict = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(("contact_has_open_conversation", id), (conflict.GetProperty("code").GetString(), conflict.GetProperty("conversationId").GetGuid()));
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM contacts WHERE external_id = $1", phone));
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE event_type = 'ConversationStateChanged' AND payload->>'conversationId' = $1 AND payload->>'from' IS NULL", id.ToString()));
    }

    [Fact]
    public async Task Close_ends_the_conversation_and_later_messages_are_refused()
    {
        var conversation = await NewConversationAsync(DateTimeOffset.UtcNow.AddMinutes(-3));
        using var client = api.Client(api.TenantA.ApiKey);

        using var close = await client.PostAsync($"/api/v1/conversations/{conversation.ConversationId}/close", null);
        using var twice = await client.PostAsync($"/api/v1/conversations/{conversation.ConversationId}/close", null);
        using var send = await client.PostAsJsonAsync($"/api/v1/conversations/{conversation.ConversationId}/messages", new { text = "Oi" });

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal(("CLOSED", "closed"), ((await close.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString(),
            (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()));
        Assert.Equal("conversation_ended", (await ProblemAsync(send, HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"text":"   "}""", "text")]
    [InlineData("""{"text":"oi","agentId":"0193a5c2-0000-7000-8000-000000000000"}""", "agentId")]
    [InlineData("""{"template":{"name":"x"}}""", "template")]
    public async Task A_bad_message_is_a_problem_naming_the_field(string body, string field)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        using var response = await client.PostAsync($"/api/v1/conversations/{api.ConversationsOfA[1].ConversationId}/messages",
            new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Malformed_json_and_a_missing_channel_are_problems_not_errors()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        using var malformed = await client.PostAsync("/api/v1/conversations", new StringContent("{\"channelId\":", Encoding.UTF8, "application/json"));
        using var noChannel = await client.PostAsJsonAsync("/api/v1/conversations", new { contact = new { externalId = "5511999990000" }, text = "Oi" });
        using var otherTenantChannel = await client.PostAsJsonAsync("/api/v1/conversations",
            new { channelId = api.TenantB.ChannelId, contact = new { externalId = "5511999990000" }, template = new { name = "x", language = "pt_BR" } });

        await ProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.True((await ProblemAsync(noChannel, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("channelId", out _));
        Assert.True((await ProblemAsync(otherTenantChannel, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("channelId", out _));
    }

    [Fact]
    public async Task Another_tenant_s_conversation_is_not_found_and_stays_as_it_was()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        using var send = await client.PostAsJsonAsync($"/api/v1/conversations/{api.ConversationOfB.ConversationId}/messages", new { text = "intrusion" });
        using var close = await client.PostAsync($"/api/v1/conversations/{api.ConversationOfB.ConversationId}/close", null);

        await ProblemAsync(send, HttpStatusCode.NotFound);
        await ProblemAsync(close, HttpStatusCode.NotFound);
        Assert.Equal("open", await api.Arrange.ScalarAsync<string>("SELECT status FROM conversations WHERE id = $1", api.ConversationOfB.ConversationId));
        Assert.Equal(0L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM messages WHERE content->>'text' = 'intrusion'"));
    }

    [Fact]
    public async Task A_read_only_key_cannot_send_or_close()
    {
        var (readOnly, _) = await api.Arrange.AddApiKeyAsync(api.TenantA.TenantId, scopes: ["conversations:read"]);
        using var client = api.Client(readOnly);
        var id = api.ConversationsOfA[2].ConversationId;

        using var send = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { text = "Oi" });
        using var close = await client.PostAsync($"/api/v1/conversations/{id}/close", null);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (send.StatusCode, close.StatusCode));
        Assert.Equal("open", await api.Arrange.ScalarAsync<string>("SELECT status FROM conversations WHERE id = $1", id));
    }
}
