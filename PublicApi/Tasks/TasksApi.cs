using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// The task contract: create, read, list, cancel, and the audit trail (attempts, artifacts) and stats. Tenant scoping
/// is not written here: SaasDbContext's filters and row level security hide other tenants' tasks, which are therefore
/// simply not found (404). Every status change goes through <see cref="TaskItem"/>'s methods.
/// </summary>
public static class TasksApi
{
    /// <summary>A cancel that lost a race with a worker's claim re-reads and decides again; more losses in a row are not realistic.</summary>
    private const int CancelTries = 3;

    /// <summary>The same contract in v1 and v2: v2 changes nothing about tasks.</summary>
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.NewVersionedApi("Tasks")
            .MapGroup(ApiVersions.Route("/tasks"))
            .HasApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Tasks")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/", CreateTaskEndpoint.CreateTask)
            .WithName("CreateTask")
            .RequireScope(ApiScopes.TasksWrite)
            .WithSummary("Queues a task.")
            .WithDescription("Answers 202 with the task and its address in Location. Send an Idempotency-Key header so that a retry after a timeout cannot create a second task.")
            .Accepts<CreateTaskRequest>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/", ListTasks)
            .WithName("ListTasks")
            .RequireScope(ApiScopes.TasksRead)
            .WithSummary("Lists tasks, newest first, optionally by status and type.")
            .WithTotalCountHeader("matching tasks");
        api.MapGet("/stats", GetStats)
            .WithName("GetTaskStats")
            .RequireScope(ApiScopes.TasksRead)
            .WithSummary("Counts by status and type, queue depth, the oldest waiting task, and duration percentiles of the last 24 hours.");
        api.MapGet("/{id:guid}", GetTask)
            .WithName("GetTask")
            .RequireScope(ApiScopes.TasksRead)
            .WithSummary("Gets one task.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/cancel", CancelTask)
            .WithName("CancelTask")
            .RequireScope(ApiScopes.TasksWrite)
            .WithSummary("Cancels a task: a queued one at once, a running one as soon as its worker notices (about a second).")
            .WithDescription("Answers 202 with the task; 409 when it already ended.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id:guid}/attempts", ListAttempts)
            .WithName("ListTaskAttempts")
            .RequireScope(ApiScopes.TasksRead)
            .WithSummary("Lists a task's attempts in the order they ran, with model, tokens, cost, latency and error.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/artifacts", ListArtifacts)
            .WithName("ListTaskArtifacts")
            .RequireScope(ApiScopes.TasksRead)
            .WithSummary("Lists what a task produced, oldest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<TaskResponse[]>, ValidationProblem>> ListTasks(
        [FromQuery(Name = "status")][Description("Only tasks in this status, by name in any case: Created, Queued, Running, Succeeded, Failed, Cancelled, DeadLetter.")] string? status,
        [FromQuery(Name = "type")][Description("Only tasks of this type, e.g. ai.generate.")] string? type,
        [AsParameters] PageRequest page,
        SaasDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = page.Validate() ?? [];
        TaskItemStatus? statusFilter = null;
        // An empty parameter (?status=&type=) means no filter, as a form with a blank field sends it.
        if (!string.IsNullOrEmpty(status))
        {
            if (EnumNames.TryParse<TaskItemStatus>(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = [EnumNames.Error<TaskItemStatus>("status")];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Tasks.AsNoTracking();
        if (statusFilter is { } wanted)
        {
            query = query.Where(t => t.Status == wanted);
        }

        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(t => t.Type == type);
        }

        var tasks = await query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .ToPageAsync(t => t, page, response, cancellationToken);
        return TypedResults.Ok(Array.ConvertAll(tasks, TaskResponse.From));
    }

    public static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetTask(Guid id, SaasDbContext db, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return task is null ? TaskProblems.NotFound() : TypedResults.Ok(TaskResponse.From(task));
    }

    public static async Task<Results<Accepted<TaskResponse>, ProblemHttpResult>> CancelTask(
        Guid id, SaasDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (task is null)
            {
                return TaskProblems.NotFound();
            }

            try
            {
                task.RequestCancel(time.GetUtcNowForPostgres());
            }
            catch (TaskTransitionException ex)
            {
                return TaskProblems.AlreadyEnded(ex);
            }
            foreach (var @event in task.TakeEvents())
            {
                db.AddIntegrationEvent(@event);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return CreateTaskEndpoint.Accepted(task);
            }
            catch (DbUpdateConcurrencyException) when (attempt < CancelTries)
            {
                // A worker claimed (or ended) the task after we read it: decide again on what it is now.
                db.ChangeTracker.Clear();
            }
        }
    }

    public static async Task<Results<Ok<TaskAttemptResponse[]>, ProblemHttpResult>> ListAttempts(
        Guid id, SaasDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Tasks.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return TaskProblems.NotFound();
        }

        var attempts = await db.TaskAttempts.AsNoTracking()
            .Where(a => a.TaskId == id)
            .OrderBy(a => a.AttemptNo)
            .Select(a => new TaskAttemptResponse(a.Id, a.AttemptNo, a.Status, a.StartedAt, a.EndedAt, a.Model, a.TokensIn,
                a.TokensOut, a.Cost, a.LatencyMs, a.ErrorCode, a.ErrorDetail))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(attempts);
    }

    public static async Task<Results<Ok<TaskArtifactResponse[]>, ProblemHttpResult>> ListArtifacts(
        Guid id, SaasDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Tasks.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return TaskProblems.NotFound();
        }

        var artifacts = await db.TaskArtifacts.AsNoTracking()
            .Where(a => a.TaskId == id)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new TaskArtifactResponse(a.Id, a.Kind, a.Content, a.Uri, a.CreatedAt))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(artifacts);
    }

    public static async Task<Ok<TaskStatsResponse>> GetStats(SaasDbContext db, TimeProvider time, CancellationToken cancellationToken)
        => TypedResults.Ok(await TaskStatsQuery.RunAsync(db, time.GetUtcNow(), cancellationToken));
}
