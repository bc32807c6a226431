using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

public sealed class AssistantsApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    private static readonly object NewAssistant = new { name = "Atendente", systemPrompt = "Responda em português, com gentileza.", greeting = "Olá!" };

    [Fact]
    public async Task An_assistant_is_created_read_listed_replaced_and_deleted_in_its_tenant_only()
    {
        var tenant = await api.Arrange.AddTenantAsync("Manages assistants");
        using var client = api.Client(tenant.ApiKey);
        using var stranger = api.Client(api.TenantB.ApiKey);

        var response = await client.PostAsJsonAsync("/api/v2/assistants", NewAssistant);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v2/assistants/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(tenant.WorkspaceId, created.GetProperty("workspaceId").GetGuid());
        Assert.Equal(3000, created.GetProperty("bufferTimeoutMs").GetInt32());

        Assert.Equal("Atendente", (await (await client.GetAsync($"/api/v1/assistants/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("name").GetString());
        Assert.Equal([id], (await (await client.GetAsync("/api/v1/assistants")).ReadJsonAsync(HttpStatusCode.OK)).Ids());
        await (await stranger.GetAsync($"/api/v1/assistants/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.DeleteAsync($"/api/v1/assistants/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);

        var replaced = await (await client.PutAsJsonAsync($"/api/v1/assistants/{id}",
            new { name = "Vendas", systemPrompt = "Ajude a vender.", bufferTimeoutMs = 500 })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Vendas", replaced.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("greeting").ValueKind);
        Assert.Equal(500, await api.Arrange.ScalarAsync<int>("SELECT buffer_timeout_ms FROM assistants WHERE id = $1", id));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/assistants/{id}")).StatusCode);
        await (await client.GetAsync($"/api/v1/assistants/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_Idempotency_Key_replays_the_first_creation_and_refuses_another_body()
    {
        var tenant = await api.Arrange.AddTenantAsync("Retries creations");
        using var client = api.Client(tenant.ApiKey);

        var first = await (await PostAsync(client, NewAssistant, "create-atendente")).ReadJsonAsync(HttpStatusCode.Created);
        var replay = await (await PostAsync(client, NewAssistant, "create-atendente")).ReadJsonAsync(HttpStatusCode.Created);
        var misuse = await (await PostAsync(client, new { name = "Outro", systemPrompt = "x" }, "create-atendente")).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(client, NewAssistant, "racing-key")));

        Assert.Equal(first.GetProperty("id").GetGuid(), replay.GetProperty("id").GetGuid());
        Assert.Equal("idempotency_key_reused", misuse.GetProperty("code").GetString());
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(2L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM assistants WHERE tenant_id = $1", tenant.TenantId));
    }

    [Theory]
    [InlineData("""{"systemPrompt": "x"}""", "name")]
    [InlineData("""{"name": "A"}""", "systemPrompt")]
    [InlineData("""{"name": "A", "systemPrompt": "x", "bufferTimeoutMs": 60001}""", "bufferTimeoutMs")]
    [InlineData("""{"name": "A", "systemPrompt": "x", "workspaceId": "0191b7f2-0000-7000-8000-000000000000"}""", "workspaceId")]
    public async Task Invalid_fields_are_a_400_naming_them_and_create_nothing(string body, string field)
    {
        var tenant = await api.Arrange.AddTenantAsync("Sends bad assistants");
        using var client = api.Client(tenant.ApiKey);

        var response = await client.PostAsync("/api/v1/assistants", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM assistants WHERE tenant_id = $1", tenant.TenantId));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_another_tenant_s_workspace_is_not_found()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var malformed = await client.PostAsync("/api/v1/assistants", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        var foreign = await client.PostAsJsonAsync("/api/v1/assistants", new { name = "A", systemPrompt = "x", workspaceId = api.TenantB.WorkspaceId });

        Assert.Equal("malformed_json", (await malformed.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        await foreign.ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_assistant_in_use_cannot_be_deleted_and_writing_needs_the_write_scope()
    {
        var tenant = await api.Arrange.AddTenantAsync("Uses its assistant");
        using var client = api.Client(tenant.ApiKey);
        var id = (await (await client.PostAsJsonAsync("/api/v1/assistants", NewAssistant)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await api.Arrange.ExecuteAsync("UPDATE channels SET assistant_id = $1 WHERE id = $2", id, tenant.ChannelId);
        var (readOnlyKey, _) = await api.Arrange.AddApiKeyAsync(tenant.TenantId, scopes: ["assistants:read"]);
        using var reader = api.Client(readOnlyKey);

        var inUse = await (await client.DeleteAsync($"/api/v1/assistants/{id}")).ReadProblemAsync(HttpStatusCode.Conflict);
        var forbidden = await (await reader.PostAsJsonAsync("/api/v1/assistants", NewAssistant)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("assistant_in_use", inUse.GetProperty("code").GetString());
        Assert.Equal("assistants:write", forbidden.GetProperty("requiredScope").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/assistants/{id}")).StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assistants") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }
}
