using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>The task API's problem responses; each carries a stable machine-readable code next to the human text.</summary>
internal static class TaskProblems
{
    /// <summary>Also the answer for another tenant's task: a 403 would confirm that the id exists.</summary>
    public static ProblemHttpResult NotFound()
        => Problem(StatusCodes.Status404NotFound, "task_not_found", "Task not found.");

    public static ProblemHttpResult AlreadyEnded(TaskTransitionException ex)
        => Problem(StatusCodes.Status409Conflict, "task_already_ended", $"The task already ended ({ex.From}); it can no longer be cancelled.");

    /// <summary>
    /// 422, not 409: the request itself is wrong (a key names one request, and this is another), so retrying it can
    /// never succeed; 409 says "conflict with the resource's current state, may succeed later", which we use for
    /// cancelling an ended task. It is also what the IETF Idempotency-Key draft prescribes for a reused key.
    /// </summary>
    public static ProblemHttpResult IdempotencyKeyReused()
        => Problem(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
            $"This {CreateTaskValidator.IdempotencyKeyHeader} was already used for a different request; send a new key for a new task.");

    public static ProblemHttpResult MalformedJson(string? path)
        => Problem(StatusCodes.Status400BadRequest, "malformed_json",
            path is null or "$" ? "The request body is not valid JSON." : $"The request body is not valid JSON for this request (at {path}).");

    public static ProblemHttpResult UnsupportedMediaType()
        => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The request body must be application/json.");

    private static ProblemHttpResult Problem(int status, string code, string detail)
        => TypedResults.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
