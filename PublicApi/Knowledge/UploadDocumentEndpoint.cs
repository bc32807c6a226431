using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Knowledge.Indexing;
using SaasAssistants.Knowledge.Ingest;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>
/// POST /api/v1/knowledge-bases/{id}/documents: checks the file before anything is stored (size, type, content, that
/// text can be read from it), refuses a duplicate by checksum, then one SaveChanges writes the document (queued), its
/// <c>knowledge.index</c> task and the task's wake-up event.
/// </summary>
internal static class UploadDocumentEndpoint
{
    private const string ChecksumIndex = "ux_knowledge_documents_checksum";
    private const int MaxNameLength = 255;

    public static async Task<Results<Accepted<KnowledgeDocumentResponse>, ProblemHttpResult>> UploadDocument(
        Guid id, HttpRequest request, SaasDbContext db, UploadInspector inspector, WebPageFetcher fetcher, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KnowledgeProblems.KnowledgeBaseNotFound();
        }

        var (received, problem) = await ReceiveAsync(request, inspector, fetcher, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (name, sourceUrl, content, upload, language) = received!;

        var existing = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == id && d.Checksum == upload.Checksum).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } existingId)
        {
            return KnowledgeProblems.Duplicate(existingId);
        }

        var now = time.GetUtcNow();
        var tenantId = db.CurrentTenantId!.Value;
        var document = new KnowledgeDocument
        {
            Id = Guid.CreateVersion7(now),
            KnowledgeBaseId = id,
            Name = name,
            Format = upload.Format,
            SourceUrl = sourceUrl,
            SizeBytes = content.Length,
            Checksum = upload.Checksum,
            Content = content,
            Language = language,
            Status = KnowledgeDocumentStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var task = KnowledgeIndexTask.Create(tenantId, document.Id, now, CorrelationContext.Current);
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
            // The same file sent twice at once: the other request stored it first.
            db.ChangeTracker.Clear();
            var winner = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == id && d.Checksum == upload.Checksum).Select(d => d.Id).FirstAsync(cancellationToken);
            return KnowledgeProblems.Duplicate(winner);
        }

        // As saved, not read back: a worker may already have started indexing it.
        return TypedResults.Accepted($"/api/v1/knowledge-bases/{id}/documents/{document.Id}", KnowledgeDocumentResponse.From(KnowledgeBasesApi.ToRow(document)));
    }

    /// <summary>
    /// PUT .../documents/{docId}: new content for a document (same checks); it is queued and indexed again, and its old
    /// chunks keep answering until the new ones replace them.
    /// </summary>
    public static async Task<Results<Accepted<KnowledgeDocumentResponse>, ProblemHttpResult>> ReplaceDocument(
        Guid id, Guid docId, HttpRequest request, SaasDbContext db, UploadInspector inspector, WebPageFetcher fetcher, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var document = await db.KnowledgeDocuments.FirstOrDefaultAsync(d => d.Id == docId && d.KnowledgeBaseId == id, cancellationToken);
        if (document is null)
        {
            return KnowledgeProblems.DocumentNotFound();
        }

        var (received, problem) = await ReceiveAsync(request, inspector, fetcher, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (name, sourceUrl, content, upload, language) = received!;
        var duplicate = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == id && d.Checksum == upload.Checksum && d.Id != docId)
            .Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (duplicate is { } duplicateId)
        {
            return KnowledgeProblems.Duplicate(duplicateId);
        }

        var now = time.GetUtcNow();
        var task = KnowledgeIndexTask.Create(db.CurrentTenantId!.Value, document.Id, now, CorrelationContext.Current);
        (document.Name, document.SourceUrl, document.Content, document.Format) = (name, sourceUrl, content, upload.Format);
        (document.SizeBytes, document.Checksum, document.Language) = (content.Length, upload.Checksum, language);
        (document.Status, document.Error, document.ProgressPercent, document.IndexTaskId, document.UpdatedAt) = (KnowledgeDocumentStatus.Queued, null, 0, task.Id, now);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }

        await db.SaveChangesAsync(cancellationToken);

        // As saved, not read back: a worker may already have started indexing it.
        return TypedResults.Accepted($"/api/v1/knowledge-bases/{id}/documents/{document.Id}", KnowledgeDocumentResponse.From(KnowledgeBasesApi.ToRow(document)));
    }

    /// <summary>The form's file (or fetched page), checked; or the problem that answers the request.</summary>
    private static async Task<(ReceivedDocument? Document, ProblemHttpResult? Problem)> ReceiveAsync(
        HttpRequest request, UploadInspector inspector, WebPageFetcher fetcher, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return (null, KnowledgeProblems.NotMultipart());
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return (null, KnowledgeProblems.NotMultipart());
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, KnowledgeProblems.Rejected(UploadRejection.TooLarge(inspector.MaxBytes)));
        }

        var language = form["language"].ToString();
        if (language.Length > 0 && language is not ("pt" or "en"))
        {
            return (null, KnowledgeProblems.BadLanguage());
        }

        string name;
        string? mediaType;
        string? sourceUrl = null;
        byte[] content;
        if (form.Files.GetFile("file") is { } file)
        {
            if (file.Length > inspector.MaxBytes)
            {
                return (null, KnowledgeProblems.Rejected(UploadRejection.TooLarge(inspector.MaxBytes)));
            }

            name = Path.GetFileName(file.FileName);
            mediaType = file.ContentType;
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        else if (form["url"].ToString() is { Length: > 0 } url)
        {
            try
            {
                var page = await fetcher.FetchAsync(url, cancellationToken);
                (name, mediaType, content, sourceUrl) = (page.Name, page.MediaType, page.Content, page.Url.ToString());
            }
            catch (WebPageFetchException ex)
            {
                return (null, KnowledgeProblems.FetchFailed(ex.Message));
            }
        }
        else
        {
            return (null, KnowledgeProblems.NoFile());
        }

        // A page is named by its URL, which has no file extension to go by: its media type decides.
        var (upload, rejection) = inspector.Inspect(sourceUrl is null ? name : null, mediaType, content);
        if (rejection is not null)
        {
            return (null, KnowledgeProblems.Rejected(rejection));
        }

        name = name.Length > MaxNameLength ? name[..MaxNameLength] : name.Length == 0 ? "document" : name;
        return (new ReceivedDocument(name, sourceUrl, content, upload!, language.Length > 0 ? language : null), null);
    }

    private sealed record ReceivedDocument(string Name, string? SourceUrl, byte[] Content, InspectedUpload Upload, string? Language);
}
