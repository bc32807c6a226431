using System.ComponentModel;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Knowledge.Indexing;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>
/// Knowledge bases: list them, add documents (indexed by a <c>knowledge.index</c> task), follow their indexing, delete
/// them, and search. As everywhere in the API, another tenant's knowledge base is simply not found. The same in v1 and
/// v2: nothing here is weak in v1.
/// </summary>
public static class KnowledgeBasesApi
{
    internal static readonly Expression<Func<KnowledgeDocument, KnowledgeDocumentRow>> Row = d => new KnowledgeDocumentRow(
        d.Id, d.KnowledgeBaseId, d.Name, d.Format, d.SourceUrl, d.SizeBytes, d.Checksum, d.Language, d.Status, d.Error, d.ChunkCount,
        d.PagesTotal, d.PagesDone, d.ChunksTotal, d.ChunksDone, d.ProgressPercent, d.IndexTaskId, d.IndexedAt, d.CreatedAt, d.UpdatedAt);

    /// <summary>The same projection in memory: a response about a change shows the row as the request left it.</summary>
    internal static readonly Func<KnowledgeDocument, KnowledgeDocumentRow> ToRow = Row.Compile();

    public static RouteGroupBuilder MapKnowledgeBasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.NewVersionedApi("Knowledge")
            .MapGroup(ApiVersions.Route("/knowledge-bases"))
            .HasApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Knowledge")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", ListKnowledgeBases)
            .WithName("ListKnowledgeBases")
            .RequireScope(ApiScopes.KnowledgeRead)
            .WithSummary("Lists the knowledge bases, with their document counts and the assistants that answer from them.");
        api.MapPost("/{id:guid}/documents", UploadDocumentEndpoint.UploadDocument)
            .WithName("UploadKnowledgeDocument")
            .RequireScope(ApiScopes.KnowledgeWrite)
            .WithSummary("Adds a document (multipart field 'file': .txt, .md, .html, .pdf or .docx; or field 'url': a web page).")
            .WithDescription("Answers 202 with the document, queued for indexing; follow it with GET .../documents/{docId}. Optional field 'language': pt or en. " +
                "Send an Idempotency-Key header: a retry with the same key and the same form (file bytes, name and type, or url; language) answers " +
                "202 with the document created the first time, instead of the duplicate's 409; the same key with another form is 422.")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/{id:guid}/documents", ListDocuments)
            .WithName("ListKnowledgeDocuments")
            .RequireScope(ApiScopes.KnowledgeRead)
            .WithSummary("Lists a knowledge base's documents, newest first, with their indexing status and progress.")
            .WithTotalCountHeader("documents")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/documents/{docId:guid}", GetDocument)
            .WithName("GetKnowledgeDocument")
            .RequireScope(ApiScopes.KnowledgeRead)
            .WithSummary("Gets one document: status queued, indexing, indexed or failed; chunk count; error; progress.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{id:guid}/documents/{docId:guid}", UploadDocumentEndpoint.ReplaceDocument)
            .WithName("ReplaceKnowledgeDocument")
            .RequireScope(ApiScopes.KnowledgeWrite)
            .WithSummary("Replaces a document's content (same form as the upload); it is indexed again.")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/{id:guid}/documents/{docId:guid}", DeleteDocument)
            .WithName("DeleteKnowledgeDocument")
            .RequireScope(ApiScopes.KnowledgeWrite)
            .WithSummary("Deletes a document and its chunks; searches stop finding it at once.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/search", Search)
            .WithName("SearchKnowledgeBase")
            .RequireScope(ApiScopes.KnowledgeRead)
            .WithSummary("Searches a knowledge base by meaning and by words; passages best first, with text, score and source.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<KnowledgeBaseResponse[]>> ListKnowledgeBases(SaasDbContext db, CancellationToken cancellationToken)
    {
        var bases = await db.KnowledgeBases.AsNoTracking()
            .OrderBy(k => k.Name).ThenBy(k => k.Id)
            .Select(k => new
            {
                k.Id, k.Name, k.Description, k.EmbeddingModel, k.EmbeddingDimensions, k.CreatedAt, k.UpdatedAt,
                Documents = db.KnowledgeDocuments.Count(d => d.KnowledgeBaseId == k.Id),
                Assistants = db.AssistantKnowledgeBases.Where(a => a.KnowledgeBaseId == k.Id).Select(a => a.AssistantId).ToList(),
            })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(bases.Select(k => new KnowledgeBaseResponse(
            k.Id, k.Name, k.Description, k.EmbeddingModel, k.EmbeddingDimensions, k.Documents, k.Assistants, k.CreatedAt, k.UpdatedAt)).ToArray());
    }

    public static async Task<Results<Ok<KnowledgeDocumentResponse[]>, ValidationProblem, ProblemHttpResult>> ListDocuments(
        Guid id, [AsParameters] PageRequest page, SaasDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (page.Validate() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KnowledgeProblems.KnowledgeBaseNotFound();
        }

        var rows = await db.KnowledgeDocuments.AsNoTracking().Where(d => d.KnowledgeBaseId == id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .ToPageAsync(Row, page, response, cancellationToken);
        return TypedResults.Ok(Array.ConvertAll(rows, KnowledgeDocumentResponse.From));
    }

    public static async Task<Results<Ok<KnowledgeDocumentResponse>, ProblemHttpResult>> GetDocument(
        Guid id, Guid docId, SaasDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.KnowledgeDocuments.AsNoTracking().Where(d => d.Id == docId && d.KnowledgeBaseId == id).Select(Row).FirstOrDefaultAsync(cancellationToken);
        return row is null ? KnowledgeProblems.DocumentNotFound() : TypedResults.Ok(KnowledgeDocumentResponse.From(row));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDocument(
        Guid id, Guid docId, SaasDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Its chunks go with it (ON DELETE CASCADE); an index run in progress waits on the row lock, then finds it gone.
        var deleted = await db.KnowledgeDocuments.Where(d => d.Id == docId && d.KnowledgeBaseId == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return KnowledgeProblems.DocumentNotFound();
        }

        await KnowledgeBaseVersion.BumpAsync(db, id, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<KnowledgePassageResponse[]>, ProblemHttpResult>> Search(
        Guid id,
        [FromQuery(Name = "q")][Description("The question or words to look for.")] string? q,
        [FromQuery(Name = "limit")][Description("Passages to return, 1 to 50 (default 5).")] int? limit,
        SaasDbContext db, IKnowledgeSearch search, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return KnowledgeProblems.QueryRequired();
        }

        if (limit is < 1 or > 50)
        {
            return KnowledgeProblems.BadLimit();
        }

        if (!await db.KnowledgeBases.AnyAsync(k => k.Id == id, cancellationToken))
        {
            return KnowledgeProblems.KnowledgeBaseNotFound();
        }

        var passages = await search.SearchAsync(new KnowledgeQuery(q, [id], Limit: limit), cancellationToken);
        return TypedResults.Ok(passages.Select(p => new KnowledgePassageResponse(p.Text, p.Score, p.Similarity,
            new PassageSource(p.DocumentId, p.DocumentName, p.SourceUrl, p.HeadingPath, p.Page, p.ChunkId, p.Source))).ToArray());
    }
}
