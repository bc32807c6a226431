using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Knowledge.Ingest;
using SaasAssistants.PublicApi.Idempotency;

namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>
/// POST /api/v{1,2}/knowledge-bases/{id}/documents: checks the file before anything is stored (size, type, content, that
/// text can be read from it), refuses a duplicate by checksum, then one SaveChanges writes the document (queued), its
/// <c>knowledge.index</c> task, the task's wake-up event and the Idempotency-Key, if one was sent. The checks and the
/// document's making are Shared.Knowledge's <see cref="DocumentIntake"/>, which the CRM's upload uses too.
/// </summary>
internal static class UploadDocumentEndpoint
{
    private const string UploadOperation = "knowledge.documents.create";

    public static async Task<Results<Accepted<KnowledgeDocumentResponse>, ValidationProblem, ProblemHttpResult>> UploadDocument(
        Guid id, [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey, HttpRequest request, SaasDbContext db,
        DocumentIntake intake, CancellationToken cancellationToken)
    {
        if (IdempotentCreation.Validate(idempotencyKey) is { } keyErrors)
        {
            return TypedResults.ValidationProblem(keyErrors);
        }

        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KnowledgeProblems.KnowledgeBaseNotFound();
        }

        var (form, formProblem) = await ReadFormAsync(request, intake, cancellationToken);
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

        var (received, rejection) = await ReceiveAsync(form!, intake, cancellationToken);
        if (rejection is not null)
        {
            return KnowledgeProblems.Rejected(rejection);
        }

        if (await intake.FindDuplicateAsync(id, received!.Upload.Checksum, null, cancellationToken) is { } existingId)
        {
            return KnowledgeProblems.Duplicate(existingId);
        }

        var document = intake.Add(id, received);
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
        catch (DbUpdateException ex) when (DocumentIntake.IsDuplicate(ex))
        {
            // The same file sent twice at once: the other request stored it first.
            db.ChangeTracker.Clear();
            var winner = await intake.FindDuplicateAsync(id, received.Upload.Checksum, null, cancellationToken);
            return KnowledgeProblems.Duplicate(winner!.Value);
        }

        // As saved, not read back: a worker may already have started indexing it.
        return TypedResults.Accepted($"{documents}/{document.Id}", KnowledgeDocumentResponse.From(KnowledgeBasesApi.ToRow(document)));
    }

    /// <summary>
    /// PUT .../documents/{docId}: new content for a document (same checks); it is queued and indexed again, and its old
    /// chunks keep answering until the new ones replace them.
    /// </summary>
    public static async Task<Results<Accepted<KnowledgeDocumentResponse>, ProblemHttpResult>> ReplaceDocument(
        Guid id, Guid docId, HttpRequest request, SaasDbContext db, DocumentIntake intake, CancellationToken cancellationToken)
    {
        var document = await db.KnowledgeDocuments.FirstOrDefaultAsync(d => d.Id == docId && d.KnowledgeBaseId == id, cancellationToken);
        if (document is null)
        {
            return KnowledgeProblems.DocumentNotFound();
        }

        var (form, formProblem) = await ReadFormAsync(request, intake, cancellationToken);
        if (formProblem is not null)
        {
            return formProblem;
        }

        var (received, rejection) = await ReceiveAsync(form!, intake, cancellationToken);
        if (rejection is not null)
        {
            return KnowledgeProblems.Rejected(rejection);
        }

        if (await intake.FindDuplicateAsync(id, received!.Upload.Checksum, docId, cancellationToken) is { } duplicateId)
        {
            return KnowledgeProblems.Duplicate(duplicateId);
        }

        intake.Replace(document, received);
        await db.SaveChangesAsync(cancellationToken);

        // As saved, not read back: a worker may already have started indexing it.
        return TypedResults.Accepted($"{request.PathBase}{request.Path}", KnowledgeDocumentResponse.From(KnowledgeBasesApi.ToRow(document)));
    }

    /// <summary>The request's form, or the problem that answers the request.</summary>
    private static async Task<(IFormCollection? Form, ProblemHttpResult? Problem)> ReadFormAsync(
        HttpRequest request, DocumentIntake intake, CancellationToken cancellationToken)
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
            return (null, KnowledgeProblems.Rejected(UploadRejection.TooLarge(intake.MaxBytes)));
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

    /// <summary>The form's file (or the page at its url), checked.</summary>
    private static Task<(ReceivedDocument? Document, UploadRejection? Rejection)> ReceiveAsync(
        IFormCollection form, DocumentIntake intake, CancellationToken cancellationToken)
        => intake.ReceiveAsync(form.Files.GetFile("file"), form["url"].ToString(), form["language"].ToString(), cancellationToken);
}
