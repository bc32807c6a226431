using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Knowledge.Embeddings;
using SaasAssistants.Knowledge.Ingest;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Knowledge;

/// <summary>
/// The knowledge pages' work: bases, uploads and the search to try. An upload takes the PublicApi's way in
/// (Shared.Knowledge's <see cref="DocumentIntake"/>: the same checks, the same document and <c>knowledge.index</c>
/// task), saved in one SaveChanges; the MessageProcessor indexes it and reports progress on the document row, which
/// the page polls.
/// </summary>
public sealed class KnowledgeLibrary(SaasDbContext db, DocumentIntake intake, EmbeddingModel embeddingModel,
    IKnowledgeSearch search, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxQueryLength = 500;

    public long MaxUploadBytes => intake.MaxBytes;

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

        // A form posted with no file chosen still sends an empty file part: that is no file, and the URL is asked for.
        var (received, rejection) = await intake.ReceiveAsync(file is { Length: > 0 } ? file : null,
            string.IsNullOrWhiteSpace(url) ? null : url.Trim(), language, cancellationToken);
        if (rejection is not null)
        {
            return (null, Refusal(rejection));
        }
        if (await intake.FindDuplicateAsync(knowledgeBaseId, received!.Upload.Checksum, null, cancellationToken) is not null)
        {
            return (null, new FormRefusal("duplicate_document", "file"));
        }

        var document = intake.Add(knowledgeBaseId, received);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DocumentIntake.IsDuplicate(ex))
        {
            return (null, new FormRefusal("duplicate_document", "file"));
        }
        return (document.Id, null);
    }

    /// <summary>The page's words for a refused upload: the form's codes, which the page explains in the user's language.</summary>
    private static FormRefusal Refusal(UploadRejection rejection) => rejection.Code switch
    {
        "invalid_language" => new FormRefusal("document_language", "language"),
        "file_too_large" => new FormRefusal("upload_too_large", "file"),
        "file_required" => new FormRefusal("no_file", "file"),
        "url_not_fetched" => new FormRefusal("fetch_failed", "url"),
        _ => new FormRefusal("upload_rejected", "file"),
    };

    /// <summary>The real hybrid search over one knowledge base, as the assistant's replies run it.</summary>
    public Task<IReadOnlyList<KnowledgePassage>> SearchAsync(Guid knowledgeBaseId, string query, CancellationToken cancellationToken)
        => search.SearchAsync(new KnowledgeQuery(query.Length > MaxQueryLength ? query[..MaxQueryLength] : query, [knowledgeBaseId]), cancellationToken);
}
