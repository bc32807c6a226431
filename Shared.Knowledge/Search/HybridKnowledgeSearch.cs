using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;
using SaasAssistants.Database;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Knowledge.Embeddings;

namespace SaasAssistants.Knowledge.Search;

/// <summary>
/// Hybrid search in one SQL statement: the nearest chunks by cosine distance (pgvector's HNSW index, iterative scan so
/// the tenant and knowledge-base filter still leaves enough) and the best full-text matches (each chunk's own language
/// configuration, chunks holding two of the question's words before those holding one; see knowledge_lexical_candidates
/// in 0014), fused by reciprocal rank fusion:
/// score = Σ 1/(k + rank). Full text carries what the English-only local model misses in Portuguese, and exact names,
/// codes and prices; vectors carry paraphrase. Runs as the tenant, under row level security.
/// </summary>
public sealed class HybridKnowledgeSearch(
    SaasDbContext db,
    NpgsqlDataSource dataSource,
    ITenantContext tenant,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    EmbeddingModel model,
    KnowledgeSearchCache cache,
    IOptions<KnowledgeOptions> options) : IKnowledgeSearch
{
    private const int MaxQueryLength = 1000;

    /// <summary>The query itself; public so the benchmark (bench/KnowledgeSearch) times exactly what the product runs.</summary>
    public const string Sql = """
        WITH semantic AS (
            SELECT id, similarity, row_number() OVER (ORDER BY distance) AS rank
            FROM (
                SELECT c.id, c.embedding <=> @embedding AS distance, 1 - (c.embedding <=> @embedding) AS similarity
                FROM knowledge_chunks c
                WHERE c.tenant_id = @tenant AND c.knowledge_base_id = ANY(@bases) AND c.embedding_model = @model
                ORDER BY c.embedding <=> @embedding
                LIMIT @candidates
            ) nearest
            WHERE similarity >= @minSimilarity
        ),
        lexical AS (
            -- The GIN index cannot serve @@ under row level security; see knowledge_lexical_candidates in 0007 and 0014.
            -- Its order is the ranking: chunks holding two of the question's words before those holding one.
            SELECT l.id, l.position AS rank
            FROM knowledge_lexical_candidates(@bases, @text, @candidates) WITH ORDINALITY AS l(id, score, position)
        ),
        fused AS MATERIALIZED (
            -- Only the best few ids leave this step, so the rows are then fetched by primary key.
            SELECT coalesce(s.id, l.id) AS id, s.similarity,
                   (coalesce(1.0 / (@k + s.rank), 0) + coalesce(1.0 / (@k + l.rank), 0)) * (@k + 1) / 2.0 AS score
            FROM semantic s
            FULL JOIN lexical l ON l.id = s.id
            ORDER BY score DESC, id
            LIMIT @limit
        )
        SELECT c.id, c.document_id, c.knowledge_base_id, d.name, d.source_url, c.heading_path, c.page, c.content,
               f.score, f.similarity, d.language
        FROM fused f
        JOIN knowledge_chunks c ON c.id = f.id
        JOIN knowledge_documents d ON d.id = c.document_id
        ORDER BY f.score DESC, f.id
        """;

    public async Task<IReadOnlyList<KnowledgePassage>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var text = query.Text.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        if (text.Length > MaxQueryLength)
        {
            text = text[..MaxQueryLength];
        }

        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("Knowledge search needs a tenant in scope.");
        var settings = options.Value.Search;
        var limit = Math.Clamp(query.Limit ?? settings.Limit, 1, 50);
        var minScore = query.MinScore ?? settings.MinScore;

        var bases = await BasesAsync(query, cancellationToken);
        if (bases.Count == 0)
        {
            return [];
        }

        var key = KnowledgeSearchCache.Key(tenantId, Fingerprint(bases, text, limit, minScore));
        if (await cache.GetAsync(key) is { } cached)
        {
            return cached;
        }

        var generated = await embeddings.GenerateAsync([text], cancellationToken: cancellationToken);
        var passages = await QueryAsync(tenantId, bases.Select(b => b.Id).ToArray(), text, new Vector(generated[0].Vector), limit, cancellationToken);
        IReadOnlyList<KnowledgePassage> result = passages.Where(p => p.Score >= minScore).ToList();
        await cache.SetAsync(key, result);
        return result;
    }

    private async Task<List<(Guid Id, long Version)>> BasesAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var bases = db.KnowledgeBases.AsNoTracking();
        if (query.AssistantId is { } assistantId)
        {
            var attached = db.AssistantKnowledgeBases.Where(a => a.AssistantId == assistantId).Select(a => a.KnowledgeBaseId);
            bases = bases.Where(b => attached.Contains(b.Id));
        }
        if (query.KnowledgeBaseIds is { } ids)
        {
            bases = bases.Where(b => ids.Contains(b.Id));
        }

        var rows = await bases.OrderBy(b => b.Id).Select(b => new { b.Id, b.ContentVersion }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.ContentVersion)).ToList();
    }

    private async Task<List<KnowledgePassage>> QueryAsync(Guid tenantId, Guid[] bases, string text, Vector embedding, int limit, CancellationToken cancellationToken)
    {
        var settings = options.Value.Search;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSetting.ApplyAsync(connection, transaction, tenantId, isLocal: true, cancellationToken);
        await using (var tuning = new NpgsqlCommand(
            $"SET LOCAL hnsw.ef_search = {Math.Clamp(settings.EfSearch, 10, 1000)}; SET LOCAL hnsw.iterative_scan = relaxed_order", connection, transaction))
        {
            await tuning.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddWithValue("text", text);
        command.Parameters.AddWithValue("embedding", embedding);
        command.Parameters.AddWithValue("tenant", tenantId);
        command.Parameters.AddWithValue("bases", bases);
        command.Parameters.AddWithValue("model", model.Name);
        command.Parameters.AddWithValue("candidates", Math.Max(settings.Candidates, limit));
        command.Parameters.AddWithValue("minSimilarity", settings.MinSimilarity);
        command.Parameters.AddWithValue("k", (double)Math.Max(1, settings.RrfK));
        command.Parameters.AddWithValue("limit", limit);
        var passages = new List<KnowledgePassage>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                passages.Add(new KnowledgePassage(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetString(7),
                    Math.Round(reader.GetDouble(8), 4), reader.IsDBNull(9) ? null : Math.Round(reader.GetDouble(9), 4),
                    reader.IsDBNull(10) ? null : reader.GetString(10)));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return passages;
    }

    private string Fingerprint(List<(Guid Id, long Version)> bases, string text, int limit, double minScore)
    {
        var settings = options.Value.Search;
        var parts = new StringBuilder(model.Name).Append('|').Append(limit).Append('|').Append(minScore)
            .Append('|').Append(settings.MinSimilarity).Append('|').Append(settings.RrfK).Append('|').Append(settings.Candidates);
        foreach (var (id, version) in bases)
        {
            parts.Append('|').Append(id).Append(':').Append(version);
        }

        parts.Append('|').Append(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parts.ToString())));
    }
}
