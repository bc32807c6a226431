using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Knowledge.Embeddings;
using SaasAssistants.Knowledge.Ingest;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Knowledge;

/// <summary>
/// The knowledge pages' work: bases, uploads and the search to try. An upload goes through the same checks as the
/// PublicApi's (Shared.Knowledge's <see cref="UploadInspector"/> and <see cref="WebPageFetcher"/>), then one
/// SaveChanges writes the document (queued), its <c>knowledge.index</c> task and the task's wake-up event; the
/// MessageProcessor indexes it and reports progress on the document row, which the page polls.
/// </summary>
public sealed class KnowledgeLibrary(SaasDbContext db, UploadInspector inspector, WebPageFetcher fetcher, EmbeddingModel embeddingModel,
    IKnowledgeSearch search, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxQueryLength = 500;
    private const int MaxDocumentNameLength = 255;
    private const string ChecksumIndex = "ux_knowledge_documents_checksum";

    public long MaxUploadBytes => inspector.MaxBytes;

    public async Task<IReadOnlyList<KnowledgeBaseView>> ListAsync(CancellationToken cancellationToken)
        => await db.KnowledgeBases.AsNoTracking().OrderBy(k => k.Name)
            .Select(k => new KnowledgeBaseView(k.Id, k.Name, k.Description, db.KnowledgeDocuments.Count(d => d.KnowledgeBaseId == k.Id), k.UpdatedAt))
            .ToListAsync(cancellationToken);

    public async Task<KnowledgeBaseView?> FindAsync(Guid id, CancellationToken cancellationToken)
        => await db.KnowledgeBases.AsNoTracking().Where(k => k.Id == id)
            .Select(k => new KnowledgeBaseView(k.Id, k.Name, k.Description, db.KnowledgeDocuments.Count(d => d.KnowledgeBaseId == k.Id), k.UpdatedAt))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<KnowledgeDocumentView>?> DocumentsAsync(Guid knowledgeBaseId, CancellationToken cancellationToken)
    {
        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == knowledgeBaseId, cancellationToken))
        {
            return null;
        }

        return await db.KnowledgeDocuments.AsNoTracking().Where(d => d.KnowledgeBaseId == knowledgeBaseId).OrderByDescending(d => d.CreatedAt)
            .Select(d => new KnowledgeDocumentView(d.Id, d.Name, d.SourceUrl, d.Status.ToString().ToLower(), d.ProgressPercent, d.Error, d.ChunkCount,
                d.SizeBytes, d.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<(Guid? Id, FormRefusal? Refusal)> CreateBaseAsync(string? name, string? description, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return (null, new FormRefusal("knowledge_name", "name"));
        }
        var workspaceId = await db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        if (workspaceId is null)
        {
            return (null, new FormRefusal("no_workspace"));
        }

        var now = clock.GetUtcNow();
        var knowledgeBase = new KnowledgeBase
        {
            Id = Guid.CreateVersion7(now),
            WorkspaceId = workspaceId.Value,
            Name = name,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            EmbeddingModel = embeddingModel.Name,
            EmbeddingDimensions = embeddingModel.Dimensions,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.KnowledgeBases.Add(knowledgeBase);
        await db.SaveChangesAsync(cancellationToken);
        return (knowledgeBase.Id, null);
    }

    /// <summary>A file (or the page at a URL) into the knowledge base: checked, stored queued, its index task started.</summary>
    public async Task<(Guid? Id, FormRefusal? Refusal)> UploadAsync(Guid knowledgeBaseId, IFormFile? file, string? url, string? language,
        CancellationToken cancellationToken)
    {
        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == knowledgeBaseId, cancellationToken))
        {
            return (null, new FormRefusal("not_found"));
        }
        if (!string.IsNullOrEmpty(language) && language is not ("pt" or "en"))
        {
            return (null, new FormRefusal("document_language", "language"));
        }

        string name;
        string? mediaType;
        string? sourceUrl = null;
        byte[] content;
        if (file is { Length: > 0 })
        {
            if (file.Length > inspector.MaxBytes)
            {
                return (null, new FormRefusal("upload_too_large", "file"));
            }
            name = Path.GetFileName(file.FileName);
            mediaType = file.ContentType;
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        else if (!string.IsNullOrWhiteSpace(url))
        {
            try
            {
                var page = await fetcher.FetchAsync(url.Trim(), cancellationToken);
                (name, mediaType, content, sourceUrl) = (page.Name, page.MediaType, page.Content, page.Url.ToString());
            }
            catch (WebPageFetchException)
            {
                return (null, new FormRefusal("fetch_failed", "url"));
            }
        }
        else
        {
            return (null, new FormRefusal("no_file", "file"));
        }

        // A page is named by its URL, which has no file extension to go by: its media type decides.
        var (upload, rejection) = inspector.Inspect(sourceUrl is null ? name : null, mediaType, content);
        if (rejection is not null)
        {
            return (null, new FormRefusal("upload_rejected", "file"));
        }
        if (await db.KnowledgeDocuments.AnyAsync(d => d.KnowledgeBaseId == knowledgeBaseId && d.Checksum == upload!.Checksum, cancellationToken))
        {
            return (null, new FormRefusal("duplicate_document", "file"));
        }

        var now = clock.GetUtcNow();
        var document = new KnowledgeDocument
        {
            Id = Guid.CreateVersion7(now),
            KnowledgeBaseId = knowledgeBaseId,
            Name = name.Length > MaxDocumentNameLength ? name[..MaxDocumentNameLength] : name.Length == 0 ? "document" : name,
            Format = upload!.Format,
            SourceUrl = sourceUrl,
            SizeBytes = content.Length,
            Checksum = upload.Checksum,
            Content = content,
            Language = string.IsNullOrEmpty(language) ? null : language,
            Status = KnowledgeDocumentStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var task = KnowledgeIndexTask.Create(db.CurrentTenantId!.Value, document.Id, now, CorrelationContext.Current);
        document.IndexTaskId = task.Id;
        db.KnowledgeDocuments.Add(document);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: ChecksumIndex })
        {
            return (null, new FormRefusal("duplicate_document", "file"));
        }
        return (document.Id, null);
    }

    /// <summary>The real hybrid search over one knowledge base, as the assistant's replies run it.</summary>
    public Task<IReadOnlyList<KnowledgePassage>> SearchAsync(Guid knowledgeBaseId, string query, CancellationToken cancellationToken)
        => search.SearchAsync(new KnowledgeQuery(query.Length > MaxQueryLength ? query[..MaxQueryLength] : query, [knowledgeBaseId]), cancellationToken);
}
