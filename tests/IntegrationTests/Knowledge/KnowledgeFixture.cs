using System.Net.Http.Json;
using System.Text.Json;
using SaasAssistants.IntegrationTests.PublicApi;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Knowledge.Embeddings;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// One database, RabbitMQ virtual host, PublicApi and knowledge worker for a test class: tenants A and B, each with a
/// knowledge base attached to its assistant. Documents go in through the API and are indexed by the real task.
/// </summary>
public sealed class KnowledgeFixture : IAsyncLifetime
{
    public const long MaxDocumentBytes = 256 * 1024;
    public static readonly string LocalModel = $"local/{MiniLmEmbeddingGenerator.ModelId}";

    private readonly TestDatabase _database = new();
    private RabbitMQVirtualHost _messaging = null!;

    public KnowledgeApiFactory Factory { get; private set; } = null!;
    public KnowledgeWorker Worker { get; private set; } = null!;
    public ApiArrangement Arrange { get; private set; } = null!;
    public TestDatabase Database => _database;
    public KnowledgeTenant TenantA { get; private set; } = null!;
    public KnowledgeTenant TenantB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _messaging = await RabbitMQVirtualHost.CreateAsync();
        Arrange = new ApiArrangement(_database.OwnerConnectionString);
        TenantA = await AddTenantAsync("Knowledge A");
        TenantB = await AddTenantAsync("Knowledge B");
        Factory = new KnowledgeApiFactory(_database.AppConnectionString, await TestServers.Shared.GetRedisConnectionStringAsync(), MaxDocumentBytes);
        Worker = await KnowledgeWorker.StartAsync(_database.AppConnectionString, _messaging.ConnectionString, _database.EncryptionKey);
    }

    public async Task DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (_messaging is not null)
        {
            await _messaging.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    public HttpClient Client(KnowledgeTenant tenant)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.Api.ApiKey);
        return client;
    }

    /// <summary>Uploads a file and returns the API's answer (202 with the document, or a problem).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid knowledgeBaseId, string fileName, byte[] content,
        string? mediaType = null, string? language = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        if (mediaType is not null)
        {
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        }

        form.Add(file, "file", fileName);
        if (language is not null)
        {
            form.Add(new StringContent(language), "language");
        }

        return await client.PostAsync($"/api/v1/knowledge-bases/{knowledgeBaseId}/documents", form);
    }

    /// <summary>Polls the document until its status is indexed or failed (the index task runs in the worker).</summary>
    public static async Task<JsonElement> WaitUntilIndexedAsync(HttpClient client, Guid knowledgeBaseId, Guid documentId)
    {
        JsonElement document = default;
        await Wait.UntilAsync(async () =>
        {
            document = await client.GetFromJsonAsync<JsonElement>($"/api/v1/knowledge-bases/{knowledgeBaseId}/documents/{documentId}");
            return document.GetProperty("status").GetString() is "indexed" or "failed";
        }, TimeSpan.FromSeconds(60), $"document {documentId} to be indexed", () => document.ToString());
        return document;
    }

    private async Task<KnowledgeTenant> AddTenantAsync(string name)
    {
        var api = await Arrange.AddTenantAsync(name);
        var assistantId = Guid.CreateVersion7();
        var knowledgeBaseId = Guid.CreateVersion7();
        await Arrange.ScalarAsync<int>("""
            WITH a AS (INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt) VALUES ($1, $3, $4, 'Bot', 'Help') RETURNING 1),
                 k AS (INSERT INTO knowledge_bases (id, tenant_id, workspace_id, name, embedding_model, embedding_dimensions) VALUES ($2, $3, $4, 'Help center', $5, 384) RETURNING 1)
            SELECT 1
            """, assistantId, knowledgeBaseId, api.TenantId, api.WorkspaceId, LocalModel);
        await Arrange.ScalarAsync<int>("INSERT INTO assistant_knowledge_bases (tenant_id, assistant_id, knowledge_base_id) VALUES ($1, $2, $3) RETURNING 1",
            api.TenantId, assistantId, knowledgeBaseId);
        return new KnowledgeTenant(api, assistantId, knowledgeBaseId);
    }
}

/// <summary>A tenant of the knowledge tests: its API key, assistant and knowledge base.</summary>
public sealed record KnowledgeTenant(ApiTenant Api, Guid AssistantId, Guid KnowledgeBaseId);
