using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Database.Outbox;
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
            return KnowledgeProblems.KnowledgeBaseNotFound();
        if (!request.HasFormContentType)
            return KnowledgeProblems.NotMultipart();

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return KnowledgeProblems.NotMultipart();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return KnowledgeProblems.Rejected(UploadRejection.TooLarge(inspector.MaxBytes));
        }

        var language = form["language"].ToString();
        if (language.Length > 0 && language is not ("pt" or "en"))
            return KnowledgeProblems.BadLanguage();

        string name;
        string? mediaType;
        string? sourceUrl = null;
        byte[] content;
        if (form.Files.GetFile("file") is { } file)
        {
            if (file.Length > inspector.MaxBytes)
                return KnowledgeProblems.Rejected(UploadRejection.TooLarge(inspector.MaxBytes));
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
                return KnowledgeProblems.FetchFailed(ex.Message);
            }
        }
        else
        {
            return KnowledgeProblems.NoFile();
        }

        // A page is named by its URL, which has no file extension to go by: its media type decides.
        var (upload, rejection) = inspector.Inspect(sourceUrl is null ? name : null, mediaType, content);
        if (rejection is not null)
            return KnowledgeProblems.Rejected(rejection);

        var existing = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == id && d.Checksum == upload!.Checksum).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } existingId)
            return KnowledgeProblems.Duplicate(existingId);

        var now = time.GetUtcNow();
        var tenantId = db.CurrentTenantId!.Value;
        var document = new KnowledgeDocument
        {
            Id = Guid.CreateVersion7(now),
            KnowledgeBaseId = id,
            Name = name.Length > MaxNameLength ? name[..MaxNameLength] : name.Length == 0 ? "document" : name,
            Format = upload!.Format,
            SourceUrl = sourceUrl,
            SizeBytes = content.Length,
            Checksum = upload.Checksum,
            Content = content,
            Language = language.Length > 0 ? language : null,
            Status = KnowledgeDocumentStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var task = KnowledgeIndexTask.Create(tenantId, document.Id, now, CorrelationContext.Current);
        document.IndexTaskId = task.Id;
        db.KnowledgeDocuments.Add(document);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
            db.AddIntegrationEvent(@event);
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

        var row = await db.KnowledgeDocuments.AsNoTracking().Where(d => d.Id == document.Id).Select(KnowledgeBasesApi.Row).FirstAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/knowledge-bases/{id}/documents/{document.Id}", KnowledgeDocumentResponse.From(row));
    }
}
