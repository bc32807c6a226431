using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// A document's way into a knowledge base, one for both doors (the PublicApi's upload and the CRM's knowledge page): the
/// file, or the page at a URL, is read and checked before anything is stored; a duplicate is found by checksum; the
/// document is added queued with its <c>knowledge.index</c> task and the task's wake-up event. The caller saves, so the
/// PublicApi can put its Idempotency-Key into the same SaveChanges; each door words the refusals its own way.
/// </summary>
public sealed class DocumentIntake(SaasDbContext db, UploadInspector inspector, WebPageFetcher fetcher, TimeProvider time)
{
    private const int MaxNameLength = 255;
    private const string ChecksumIndex = "ux_knowledge_documents_checksum";

    public long MaxBytes => inspector.MaxBytes;

    /// <summary>
    /// The file, or else the page at <paramref name="url"/>, read and checked (language, size, type, content); or why
    /// not. Nothing is stored.
    /// </summary>
    public async Task<(ReceivedDocument? Document, UploadRejection? Rejection)> ReceiveAsync(
        IFormFile? file, string? url, string? language, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(language) && language is not ("pt" or "en"))
        {
            return (null, UploadRejection.InvalidLanguage());
        }

        string name;
        string? mediaType;
        string? sourceUrl = null;
        byte[] content;
        if (file is not null)
        {
            // Before reading it: the limit protects memory, not just storage.
            if (file.Length > inspector.MaxBytes)
            {
                return (null, UploadRejection.TooLarge(inspector.MaxBytes));
            }

            name = Path.GetFileName(file.FileName);
            mediaType = file.ContentType;
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        else if (url is { Length: > 0 })
        {
            try
            {
                var page = await fetcher.FetchAsync(url, cancellationToken);
                (name, mediaType, content, sourceUrl) = (page.Name, page.MediaType, page.Content, page.Url.ToString());
            }
            catch (WebPageFetchException ex)
            {
                return (null, UploadRejection.NotFetched(ex.Message));
            }
        }
        else
        {
            return (null, UploadRejection.NoFile());
        }

        // A page is named by its URL, which has no file extension to go by: its media type decides.
        var (upload, rejection) = inspector.Inspect(sourceUrl is null ? name : null, mediaType, content);
        if (rejection is not null)
        {
            return (null, rejection);
        }

        name = name.Length > MaxNameLength ? name[..MaxNameLength] : name.Length == 0 ? "document" : name;
        return (new ReceivedDocument(name, sourceUrl, content, upload!, string.IsNullOrEmpty(language) ? null : language), null);
    }

    /// <summary>The document of the knowledge base that already has this content (other than <paramref name="except"/>), if any.</summary>
    public async Task<Guid?> FindDuplicateAsync(Guid knowledgeBaseId, string checksum, Guid? except, CancellationToken cancellationToken)
    {
        var sameContent = db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == knowledgeBaseId && d.Checksum == checksum);
        if (except is { } documentId)
        {
            sameContent = sameContent.Where(d => d.Id != documentId);
        }

        return await sameContent.Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds the document, queued, and its index task to the context; the caller saves.</summary>
    public KnowledgeDocument Add(Guid knowledgeBaseId, ReceivedDocument received)
    {
        var now = time.GetUtcNow();
        var document = new KnowledgeDocument
        {
            Id = Guid.CreateVersion7(now),
            KnowledgeBaseId = knowledgeBaseId,
            Name = received.Name,
            Format = received.Upload.Format,
            SourceUrl = received.SourceUrl,
            SizeBytes = received.Content.Length,
            Checksum = received.Upload.Checksum,
            Content = received.Content,
            Language = received.Language,
            Status = KnowledgeDocumentStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.KnowledgeDocuments.Add(document);
        StartIndexing(document, now);
        return document;
    }

    /// <summary>
    /// New content for a stored (tracked) document: queued again with a new index task; the caller saves. Its old chunks
    /// keep answering until the new ones replace them.
    /// </summary>
    public void Replace(KnowledgeDocument document, ReceivedDocument received)
    {
        var now = time.GetUtcNow();
        (document.Name, document.SourceUrl, document.Content, document.Format) = (received.Name, received.SourceUrl, received.Content, received.Upload.Format);
        (document.SizeBytes, document.Checksum, document.Language) = (received.Content.Length, received.Upload.Checksum, received.Language);
        (document.Status, document.Error, document.ProgressPercent, document.UpdatedAt) = (KnowledgeDocumentStatus.Queued, null, 0, now);
        StartIndexing(document, now);
    }

    /// <summary>Whether a save failed because another request stored the same content in the knowledge base first.</summary>
    public static bool IsDuplicate(DbUpdateException exception)
        => exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: ChecksumIndex };

    private void StartIndexing(KnowledgeDocument document, DateTimeOffset now)
    {
        var task = KnowledgeIndexTask.Create(db.CurrentTenantId!.Value, document.Id, now, CorrelationContext.Current);
        document.IndexTaskId = task.Id;
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
    }
}

/// <summary>A file or page that passed every check, named and ready to store.</summary>
public sealed record ReceivedDocument(string Name, string? SourceUrl, byte[] Content, InspectedUpload Upload, string? Language);
