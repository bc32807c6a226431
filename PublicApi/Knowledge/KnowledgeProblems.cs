using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.Knowledge.Ingest;

namespace SaasAssistants.PublicApi.Knowledge;

/// <summary>The knowledge API's problem responses, each with a stable machine-readable code.</summary>
internal static class KnowledgeProblems
{
    /// <summary>Also another tenant's knowledge base: a 403 would confirm that the id exists.</summary>
    public static ProblemHttpResult KnowledgeBaseNotFound()
        => Problem(StatusCodes.Status404NotFound, "knowledge_base_not_found", "Knowledge base not found.");

    public static ProblemHttpResult DocumentNotFound()
        => Problem(StatusCodes.Status404NotFound, "document_not_found", "Document not found.");

    public static ProblemHttpResult NotMultipart()
        => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
            "Send the document as multipart/form-data, the file in the field 'file' (or a web page's address in the field 'url').");

    /// <summary>The file or page was refused (Shared.Knowledge's <see cref="DocumentIntake"/> says why, with its code and status).</summary>
    public static ProblemHttpResult Rejected(UploadRejection rejection) => Problem(rejection.Status, rejection.Code, rejection.Detail);

    public static ProblemHttpResult Duplicate(Guid existingId)
        => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
            detail: "This knowledge base already has a document with the same content.",
            extensions: new Dictionary<string, object?> { ["code"] = "duplicate_document", ["documentId"] = existingId });

    public static ProblemHttpResult KeyReused()
        => Problem(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request; send a new key for a new one.");

    public static ProblemHttpResult QueryRequired()
        => Problem(StatusCodes.Status400BadRequest, "query_required", "Give the search text in q.");

    public static ProblemHttpResult BadLimit()
        => Problem(StatusCodes.Status400BadRequest, "invalid_limit", "limit must be between 1 and 50.");

    private static ProblemHttpResult Problem(int status, string code, string detail)
        => TypedResults.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
