using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.PublicApi;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// Changing the embedding model (Knowledge:Embeddings) re-embeds the knowledge bases of the old one: at start the
/// worker's KnowledgeReembedder switches each such base and queues its documents, and the knowledge.index task embeds
/// them again with the new model, here OpenAI embeddings from a local server speaking OpenAI's wire format. A base
/// already on the new model is left alone.
/// </summary>
public sealed class KnowledgeReembedderTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string OldModel = "local/all-MiniLM-L6-v2";
    private const string NewModel = "openai/text-embedding-3-small";

    private readonly ConcurrentQueue<string> _embedded = new();
    private WebApplication _openAI = null!;
    private string _openAIEndpoint = null!;
    private RabbitMQVirtualHost _messaging = null!;

    public async Task InitializeAsync()
    {
        _messaging = await RabbitMQVirtualHost.CreateAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _openAI = builder.Build();
        _openAI.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            var request = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            var inputs = request.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToList();
            foreach (var input in inputs)
            {
                _embedded.Enqueue(input);
            }
            // One direction for every text: any question then finds any chunk by vector, which shows the new vectors are compared.
            return Results.Json(new
            {
                @object = "list",
                data = inputs.Select((_, i) => new { @object = "embedding", index = i, embedding = Enumerable.Repeat(0.05f, 384) }),
                model = "text-embedding-3-small",
                usage = new { prompt_tokens = 7, total_tokens = 7 },
            });
        });
        await _openAI.StartAsync();
        _openAIEndpoint = _openAI.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
    }

    public async Task DisposeAsync()
    {
        await _openAI.DisposeAsync();
        await _messaging.DisposeAsync();
    }

    [Fact]
    public async Task A_knowledge_base_of_another_model_is_embedded_again_with_the_configured_one()
    {
        var arrange = new ApiArrangement(database.OwnerConnectionString);
        var stale = await AddIndexedDocumentAsync(arrange, OldModel, "Store pickup is available at the Pinheiros shop from 10 am.");
        var current = await AddIndexedDocumentAsync(arrange, NewModel, "Gift wrapping is free for orders over R$ 100.");

        await using var worker = await KnowledgeWorker.StartAsync(database.AppConnectionString, _messaging.ConnectionString, database.EncryptionKey,
            new Dictionary<string, string?>
            {
                ["Knowledge:Embeddings:Provider"] = "openai",
                ["Knowledge:Embeddings:Model"] = "text-embedding-3-small",
                ["Knowledge:Embeddings:ApiKey"] = "sk-test",
                ["Knowledge:Embeddings:Endpoint"] = _openAIEndpoint,
            });

        await Wait.UntilAsync(async () =>
            await arrange.ScalarAsync<string>("SELECT embedding_model FROM knowledge_bases WHERE id = $1", stale.KnowledgeBaseId) == NewModel
            && await arrange.ScalarAsync<string>("SELECT status FROM knowledge_documents WHERE id = $1", stale.DocumentId) == "indexed"
            && await arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE document_id = $1 AND embedding_model = $2", stale.DocumentId, NewModel) > 0,
            TimeSpan.FromSeconds(60), "the stale knowledge base to be embedded again with the new model");

        // The old chunks were replaced, not kept beside the new ones; the text went to the new model.
        Assert.Equal(0L, await arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE document_id = $1 AND embedding_model = $2", stale.DocumentId, OldModel));
        Assert.Equal(0L, await arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE id = $1", stale.ChunkId));
        Assert.Contains(_embedded, text => text.Contains("Pinheiros", StringComparison.Ordinal));
        // The base already on the new model: no task, same chunk, nothing sent to the model.
        Assert.Equal(0L, await arrange.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE tenant_id = $1", current.TenantId));
        Assert.Equal(1L, await arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE id = $1", current.ChunkId));
        Assert.DoesNotContain(_embedded, text => text.Contains("Gift wrapping", StringComparison.Ordinal));

        // Search compares the question with the new vectors (a similarity, not only a full-text match).
        await using var scope = worker.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(stale.TenantId);
        var passages = await scope.ServiceProvider.GetRequiredService<IKnowledgeSearch>()
            .SearchAsync(new KnowledgeQuery("where can I collect my order", [stale.KnowledgeBaseId]), CancellationToken.None);
        var passage = Assert.Single(passages);
        Assert.Contains("Pinheiros", passage.Text);
        Assert.NotNull(passage.Similarity);
    }

    /// <summary>A tenant whose knowledge base was indexed with <paramref name="model"/>: one document, one chunk.</summary>
    private static async Task<(Guid TenantId, Guid KnowledgeBaseId, Guid DocumentId, Guid ChunkId)> AddIndexedDocumentAsync(
        ApiArrangement arrange, string model, string text)
    {
        var tenant = await arrange.AddTenantAsync("Re-embedding " + model);
        var (knowledgeBaseId, documentId, chunkId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var content = Encoding.UTF8.GetBytes(text);
        await arrange.ScalarAsync<int>("""
            WITH k AS (INSERT INTO knowledge_bases (id, tenant_id, workspace_id, name, embedding_model, embedding_dimensions)
                       VALUES ($1, $4, $5, 'Help center', $6, 384) RETURNING 1),
                 d AS (INSERT INTO knowledge_documents (id, tenant_id, knowledge_base_id, name, format, size_bytes, checksum, content, language, status, chunk_count)
                       SELECT $2, $4, $1, 'pickup.txt', 'txt', length($7), md5($7), $7, 'en', 'indexed', 1 FROM k RETURNING 1),
                 c AS (INSERT INTO knowledge_chunks (id, tenant_id, knowledge_base_id, document_id, ordinal, content, token_count, fts_config, embedding, embedding_model)
                       SELECT $3, $4, $1, $2, 0, convert_from($7, 'UTF8'), 12, 'english', array_fill(0.1::real, ARRAY[384])::vector, $6 FROM d RETURNING 1)
            SELECT count(*)::int FROM c
            """, knowledgeBaseId, documentId, chunkId, tenant.TenantId, tenant.WorkspaceId, model, content);
        return (tenant.TenantId, knowledgeBaseId, documentId, chunkId);
    }
}
