using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Pgvector;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Knowledge.Chunking;
using SaasAssistants.Knowledge.Embeddings;
using SaasAssistants.Knowledge.Ingest;

namespace SaasAssistants.Knowledge.Indexing;

/// <summary>
/// Indexes one document in the scope's tenant: read it, cut it into chunks, embed them in batches, then replace its
/// chunks in one transaction. Progress (pages and chunks done, percent) is committed as it goes, so the API and the CRM
/// show it live; searches see the old chunks until the new ones are all there, never half of them.
/// </summary>
public sealed class KnowledgeIndexer(
    SaasDbContext db,
    DocumentReaders readers,
    StructuredChunker chunker,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    EmbeddingModel model,
    IOptions<KnowledgeOptions> options,
    TimeProvider time)
{
    // Reading and chunking are quick next to embedding: they count for the first 10% and 15% of the progress.
    private const int ReadPercent = 10;
    private const int ChunkedPercent = 15;
    private const int EmbeddedPercent = 95;

    public async Task<IndexedDocument> IndexAsync(Guid documentId, Guid? taskId, CancellationToken cancellationToken)
    {
        var document = await db.KnowledgeDocuments.AsNoTracking()
            .Where(d => d.Id == documentId)
            .Select(d => new { d.Id, d.KnowledgeBaseId, d.Format, d.Content, d.Language })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new KnowledgeDocumentNotFoundException(documentId);

        await UpdateAsync(documentId, cancellationToken, d => d
            .SetProperty(x => x.Status, KnowledgeDocumentStatus.Indexing)
            .SetProperty(x => x.Error, (string?)null)
            .SetProperty(x => x.IndexTaskId, taskId)
            .SetProperty(x => x.PagesDone, 0)
            .SetProperty(x => x.ChunksDone, 0)
            .SetProperty(x => x.ChunksTotal, (int?)null)
            .SetProperty(x => x.ProgressPercent, 0));

        var parsed = readers.Read(document.Format, document.Content);
        var language = document.Language ?? DocumentLanguage.Detect(string.Join("\n", parsed.Blocks.Select(b => b.Text)));
        await UpdateAsync(documentId, cancellationToken, d => d
            .SetProperty(x => x.PagesTotal, parsed.PageCount)
            .SetProperty(x => x.PagesDone, parsed.PageCount ?? 0)
            .SetProperty(x => x.Language, language)
            .SetProperty(x => x.ProgressPercent, ReadPercent));

        var chunks = chunker.Chunk(parsed);
        await UpdateAsync(documentId, cancellationToken, d => d
            .SetProperty(x => x.ChunksTotal, chunks.Count)
            .SetProperty(x => x.ProgressPercent, ChunkedPercent));

        var vectors = new List<Vector>(chunks.Count);
        var batchSize = Math.Max(1, options.Value.EmbeddingBatchSize);
        foreach (var batch in chunks.Chunk(batchSize))
        {
            var generated = await embeddings.GenerateAsync(batch.Select(c => c.TextForEmbedding), cancellationToken: cancellationToken);
            vectors.AddRange(generated.Select(e => new Vector(e.Vector)));
            var done = vectors.Count;
            var percent = ChunkedPercent + (EmbeddedPercent - ChunkedPercent) * done / Math.Max(1, chunks.Count);
            await UpdateAsync(documentId, cancellationToken, d => d.SetProperty(x => x.ChunksDone, done).SetProperty(x => x.ProgressPercent, percent));
        }

        await ReplaceChunksAsync(document.Id, document.KnowledgeBaseId, chunks, vectors, DocumentLanguage.FtsConfig(language), cancellationToken);
        return new IndexedDocument(documentId, chunks.Count, parsed.PageCount, language, model.Name);
    }

    /// <summary>Records why indexing stopped; <paramref name="final"/>: it will not be retried, so the document failed.</summary>
    public Task MarkFailedAsync(Guid documentId, string error, bool final, CancellationToken cancellationToken) =>
        UpdateAsync(documentId, cancellationToken, d => d
            .SetProperty(x => x.Status, final ? KnowledgeDocumentStatus.Failed : KnowledgeDocumentStatus.Queued)
            .SetProperty(x => x.Error, error));

    private async Task ReplaceChunksAsync(Guid documentId, Guid knowledgeBaseId, IReadOnlyList<TextChunk> chunks, List<Vector> vectors,
        string ftsConfig, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locks the document row: a delete or a second index run of the same document waits for this one.
        var stillThere = await db.KnowledgeDocuments.Where(d => d.Id == documentId)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (stillThere == 0)
        {
            throw new KnowledgeDocumentNotFoundException(documentId);
        }

        await db.KnowledgeChunks.Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(cancellationToken);
        for (var i = 0; i < chunks.Count; i++)
        {
            db.KnowledgeChunks.Add(new KnowledgeChunk
            {
                Id = Guid.CreateVersion7(now),
                KnowledgeBaseId = knowledgeBaseId,
                DocumentId = documentId,
                Ordinal = chunks[i].Ordinal,
                HeadingPath = chunks[i].HeadingPath,
                Page = chunks[i].Page,
                Content = chunks[i].Text,
                TokenCount = Math.Max(1, chunks[i].TokenCount),
                FtsConfig = ftsConfig,
                Embedding = vectors[i],
                EmbeddingModel = model.Name,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await db.KnowledgeDocuments.Where(d => d.Id == documentId).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.Status, KnowledgeDocumentStatus.Indexed)
            .SetProperty(x => x.ChunkCount, chunks.Count)
            .SetProperty(x => x.ChunksDone, chunks.Count)
            .SetProperty(x => x.ProgressPercent, 100)
            .SetProperty(x => x.Error, (string?)null)
            .SetProperty(x => x.IndexedAt, now), cancellationToken);
        await KnowledgeBaseVersion.BumpAsync(db, knowledgeBaseId, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task UpdateAsync(Guid documentId, CancellationToken cancellationToken,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<KnowledgeDocument>> set)
    {
        var now = time.GetUtcNow();
        var updated = await db.KnowledgeDocuments.Where(d => d.Id == documentId).ExecuteUpdateAsync(d =>
        {
            set(d);
            d.SetProperty(x => x.UpdatedAt, now);
        }, cancellationToken);
        if (updated == 0)
        {
            throw new KnowledgeDocumentNotFoundException(documentId);
        }
    }
}
