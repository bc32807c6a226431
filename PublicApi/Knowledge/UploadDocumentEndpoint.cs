using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Knowledge.Indexing;
using SaasAssistants.Knowledge.Ingest;
using SaasAssistants.PublicApi.Idempotency;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>
/// POST /api/v{1,2}/knowledge-bases/{id}/documents: checks the file before anything is stored (size, type, content, that
/// text can be read from it), refuses a duplicate by checksum, then one SaveChanges writes the document (queued), its
/// <c>knowledge.index</c> task, the task's wake-up event and the Idempotency-Key, if one was sent.
/// </summary>
internal static class UploadDocumentEndpoint
{
    private const string ChecksumIndex = "ux_knowledge_documents_checksum";
    private const int MaxNameLength = 255;
    private const string UploadOperation = "knowledge.documents.create";

    public static async Task<Results<Accepted<KnowledgeDocumentResponse>, ValidationProblem, ProblemHttpResult>> UploadDocument(
        Guid id, [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey, HttpRequest request, SaasDbContext db,
        UploadInspector inspector, WebPageFetcher fetcher, TimeProvider time, CancellationToken cancellationToken)
    {
        if (IdempotentCreation.Validate(idempotencyKey) is { } keyErrors)
        {
            return TypedResults.ValidationProblem(keyErrors);
        }

        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KnowledgeProblems.KnowledgeBaseNotFound();
        }

        var (form, formProblem) = await ReadFormAsync(request, inspector, cancellationToken);
        if (formProblem is not null)
        {
            return formProblem;
        }

        // Checked before the file is inspected or a page fetched: a retry replays the first answer whatever the page
        // says now, and before the duplicate check, which would otherwise answer a retry with 409.
        var hash = RequestHash(id, form!);
        // The documents' URL in the version the request used.
        var documents = $"{request.PathBase}{request.Path.Value!.TrimEnd('/')}";
        switch (await IdempotentCreation.CheckAsync(db, idempotencyKey, UploadOperation, hash, cancellationToken))
        {
            case IdempotencyOutcome.Replay replay:
                return await ReplayAsync(db, id, replay.ResourceId, documents, cancellationToken);
            case IdempotencyOutcome.KeyReused:
                return KnowledgeProblems.KeyReused();
        }

        var (received, problem) = await ReceiveAsync(form!, inspector, fetcher, cancellationToken);
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
            switch (await IdempotentCreation.SaveAsync(db, idempotencyKey, UploadOperation, hash, document.Id, cancellationToken))
            {
                case IdempotencyOutcome.Replay replay:
                    return await ReplayAsync(db, id, replay.ResourceId, documents, cancellationToken);
                case IdempotencyOutcome.KeyReused:
                    return KnowledgeProblems.KeyReused();
            }
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: ChecksumIndex })
        {
            // The same file sent twice at once: the other request stored it first.
            db.ChangeTracker.Clear();
            var winner = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == id && d.Checksum == upload.Checksum).Select(d => d.Id).FirstAsync(cancellationToken);
            return KnowledgeProblems.Duplicate(winner);
        }

        // As saved, not read back: a worker may already have started indexing it.
        return TypedResults.Accepted($"{documents}/{document.Id}", KnowledgeDocumentResponse.From(KnowledgeBasesApi.ToRow(document)));
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

        var (form, formProblem) = await ReadFormAsync(request, inspector, cancellationToken);
        if (formProblem is not null)
        {
            return formProblem;
        }

        var (received, problem) = await ReceiveAsync(form!, inspector, fetcher, cancellationToken);
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
        return TypedResults.Accepted($"{request.PathBase}{request.Path}", KnowledgeDocumentResponse.From(KnowledgeBasesApi.ToRow(document)));
    }

    /// <summary>The request's form, or the problem that answers the request.</summary>
    private static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> ReadFormAsync(
        HttpRequest request, UploadInspector inspector, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return (null, KnowledgeProblems.NotMultipart());
        }

        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (InvalidDataException)
        {
            return (null, KnowledgeProblems.NotMultipart());
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, KnowledgeProblems.Rejected(UploadRejection.TooLarge(inspector.MaxBytes)));
        }
    }

    /// <summary>
    /// What makes two uploads the same request: the knowledge base, the language asked for, and the file (name, type
    /// and bytes) or the page's address.
    /// </summary>
    private static string RequestHash(Guid knowledgeBaseId, IFormCollection form)
    {
        var file = form.Files.GetFile("file");
        string? fileHash = null;
        if (file is not null)
        {
            using var stream = file.OpenReadStream();
            fileHash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return CanonicalJson.Hash(new
        {
            knowledgeBaseId,
            language = form["language"].ToString(),
            file = file is null ? null : new { name = file.FileName, type = file.ContentType, sha256 = fileHash },
            url = file is null ? form["url"].ToString() : null,
        });
    }

    private static async Task<Results<Accepted<KnowledgeDocumentResponse>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        SaasDbContext db, Guid knowledgeBaseId, Guid documentId, string documents, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var row = await db.KnowledgeDocuments.AsNoTracking().Where(d => d.Id == documentId && d.KnowledgeBaseId == knowledgeBaseId)
            .Select(KnowledgeBasesApi.Row).FirstOrDefaultAsync(cancellationToken);
        // Deleted since: the key's document is gone, and a new upload needs a new key.
        return row is null
            ? KnowledgeProblems.DocumentNotFound()
            : TypedResults.Accepted($"{documents}/{documentId}", KnowledgeDocumentResponse.From(row));
    }

    /// <summary>The form's file (or fetched page), checked; or the problem that answers the request.</summary>
    private static async Task<(ReceivedDocument? Document, ProblemHttpResult? Problem)> ReceiveAsync(
        IFormCollection form, UploadInspector inspector, WebPageFetcher fetcher, CancellationToken cancellationToken)
    {
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
