using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Http;
using SaasAssistants.PublicApi.Idempotency;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.PublicApi.Tasks;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Assistants;

/// <summary>Assistants CRUD, the same in v1 and v2 (a tenant has a handful, so one list shape serves both).</summary>
public static class AssistantsApi
{
    private const string CreateOperation = "assistants.create";

    public static RouteGroupBuilder MapAssistantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.NewVersionedApi("Assistants")
            .MapGroup(ApiVersions.Route("/assistants"))
            .HasApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Assistants")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", ListAssistants).WithName("ListAssistants").RequireScope(ApiScopes.AssistantsRead)
            .WithSummary("Lists assistants, oldest first.").WithTotalCountHeader("assistants");
        api.MapGet("/{id:guid}", GetAssistant).WithName("GetAssistant").RequireScope(ApiScopes.AssistantsRead)
            .WithSummary("Gets one assistant.").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", CreateAssistant).WithName("CreateAssistant").RequireScope(ApiScopes.AssistantsWrite)
            .WithSummary("Creates an assistant.")
            .WithDescription("Answers 201 with the assistant. Send an Idempotency-Key header: a retry with the same key and body returns the assistant created the first time; the same key with another body is 422.")
            .Accepts<AssistantRequest>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{id:guid}", UpdateAssistant).WithName("UpdateAssistant").RequireScope(ApiScopes.AssistantsWrite)
            .WithSummary("Replaces an assistant's name, instructions, greeting and buffer timeout.")
            .Accepts<AssistantRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapDelete("/{id:guid}", DeleteAssistant).WithName("DeleteAssistant").RequireScope(ApiScopes.AssistantsWrite)
            .WithSummary("Deletes an assistant that no channel or conversation uses (409 otherwise).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<AssistantResponse[]>, ValidationProblem>> ListAssistants(
        [AsParameters] PageRequest page, SaasDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (page.Validate() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var assistants = await db.Assistants.AsNoTracking().OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .ToPageAsync(a => a, page, response, cancellationToken);
        return TypedResults.Ok(Array.ConvertAll(assistants, AssistantResponse.From));
    }

    public static async Task<Results<Ok<AssistantResponse>, ProblemHttpResult>> GetAssistant(Guid id, SaasDbContext db, CancellationToken cancellationToken)
        => await db.Assistants.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } assistant
            ? TypedResults.Ok(AssistantResponse.From(assistant))
            : NotFound();

    public static async Task<Results<Created<AssistantResponse>, ValidationProblem, ProblemHttpResult>> CreateAssistant(
        [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey,
        HttpRequest request, SaasDbContext db, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AssistantRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = body!.Validate() ?? [];
        foreach (var (field, messages) in IdempotentCreation.Validate(idempotencyKey) ?? [])
        {
            errors[field] = messages;
        }

        var workspaceId = body.WorkspaceId is { } wanted
            ? await db.Workspaces.Where(w => w.Id == wanted).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken)
            : await db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        if (workspaceId is null)
        {
            errors["workspaceId"] = ["workspaceId names no workspace of this account."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var hash = CanonicalJson.Hash(body with { WorkspaceId = workspaceId });
        var outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, CreateOperation, hash, cancellationToken);
        if (outcome is IdempotencyOutcome.New)
        {
            var assistant = new Assistant
            {
                Id = Guid.CreateVersion7(),
                WorkspaceId = workspaceId!.Value,
                Name = body.Name!.Trim(),
                SystemPrompt = body.SystemPrompt!,
                Greeting = body.Greeting,
                BufferTimeoutMs = body.BufferTimeoutMs ?? 3000,
                CreatedAt = PostgresClock.GetUtcNowForPostgres(TimeProvider.System),
            };
            db.Assistants.Add(assistant);
            outcome = await IdempotentCreation.SaveAsync(db, idempotencyKey, CreateOperation, hash, assistant.Id, cancellationToken);
            if (outcome is IdempotencyOutcome.New)
            {
                return Created(request, assistant);
            }
        }
        if (outcome is IdempotencyOutcome.Replay replay
            && await db.Assistants.AsNoTracking().FirstOrDefaultAsync(a => a.Id == replay.ResourceId, cancellationToken) is { } created)
        {
            return Created(request, created);
        }

        return outcome is IdempotencyOutcome.KeyReused ? KeyReused() : NotFound();
    }

    public static async Task<Results<Ok<AssistantResponse>, ValidationProblem, ProblemHttpResult>> UpdateAssistant(
        Guid id, HttpRequest request, SaasDbContext db, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AssistantRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Validate() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var assistant = await db.Assistants.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (assistant is null)
        {
            return NotFound();
        }

        assistant.Name = body.Name!.Trim();
        assistant.SystemPrompt = body.SystemPrompt!;
        assistant.Greeting = body.Greeting;
        assistant.BufferTimeoutMs = body.BufferTimeoutMs ?? 3000;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AssistantResponse.From(assistant));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAssistant(Guid id, SaasDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await db.Assistants.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
            return deleted == 0 ? NotFound() : TypedResults.NoContent();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: "The assistant is still used by a channel or a conversation; reassign them first.",
                extensions: new Dictionary<string, object?> { ["code"] = "assistant_in_use" });
        }
    }

    /// <summary>Location in the version the request used.</summary>
    private static Created<AssistantResponse> Created(HttpRequest request, Assistant assistant)
        => TypedResults.Created($"{request.PathBase}{request.Path.Value!.TrimEnd('/')}/{assistant.Id}", AssistantResponse.From(assistant));

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Assistant not found.",
            extensions: new Dictionary<string, object?> { ["code"] = "assistant_not_found" });

    private static ProblemHttpResult KeyReused()
        => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
            detail: $"This {IdempotentCreation.Header} was already used for a different request; send a new key for a new assistant.",
            extensions: new Dictionary<string, object?> { ["code"] = "idempotency_key_reused" });
}
