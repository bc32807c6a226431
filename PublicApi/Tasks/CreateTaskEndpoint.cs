using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// POST /api/v1/tasks: one SaveChanges writes the queued task and its TaskQueued outbox row, so a task never exists
/// without the wake-up that announces it (and the engine's poll loop covers a wake-up lost on the way).
/// </summary>
internal static class CreateTaskEndpoint
{
    private const string IdempotencyIndex = "ux_tasks_idempotency";

    public static async Task<Results<Accepted<TaskResponse>, ValidationProblem, ProblemHttpResult>> CreateTask(
        [FromHeader(Name = CreateTaskValidator.IdempotencyKeyHeader)]
        [Description("Optional but recommended: a unique string per task (e.g. a UUID). A retry with the same key and the same body returns the task created the first time instead of creating another; the same key with a different body is 422. Without it, every POST creates a task.")]
        string? idempotencyKey,
        HttpRequest request, SaasDbContext db, TimeProvider time, TasksApiMetrics metrics, CancellationToken cancellationToken)
    {
        // The body is read here, not bound by the framework, so that malformed JSON is our 400 problem rather than an
        // exception whose status depends on the environment.
        if (!request.HasJsonContentType())
        {
            return TaskProblems.UnsupportedMediaType();
        }

        CreateTaskRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<CreateTaskRequest>(cancellationToken);
        }
        catch (JsonException ex)
        {
            return TaskProblems.MalformedJson(ex.Path);
        }
        if (body is null)
        {
            return TaskProblems.MalformedJson(null);
        }

        var now = time.GetUtcNowForPostgres();
        if (CreateTaskValidator.Validate(body, idempotencyKey, now, out var newTask) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (TaskTypeCatalog.UnavailableReason(newTask.Type) is { } unavailable)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: unavailable,
                extensions: new Dictionary<string, object?> { ["code"] = "task_type_not_available", ["taskType"] = newTask.Type });
        }
        var requestHash = newTask.Hash();

        if (idempotencyKey is not null && await FindByKeyAsync(db, idempotencyKey, cancellationToken) is { } existing)
        {
            return Replay(existing, requestHash);
        }

        var task = TaskItem.Create(
            db.CurrentTenantId!.Value, newTask.Type, newTask.Payload.GetRawText(), now, newTask.Priority, newTask.ScheduledAt,
            newTask.MaxAttempts, newTask.DomainType, newTask.CapabilityType, newTask.ExecutionType,
            idempotencyKey, requestHash, CorrelationContext.Current);
        task.Enqueue(now);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (idempotencyKey is not null
            && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: IdempotencyIndex })
        {
            // A concurrent request with the same key committed first (our insert waited for it, then failed): nothing of
            // ours was saved, so answer as a replay of the winner.
            db.ChangeTracker.Clear();
            var winner = await FindByKeyAsync(db, idempotencyKey, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return Replay(winner, requestHash);
        }
        metrics.Created(task.Type);
        return Accepted(task);
    }

    public static Accepted<TaskResponse> Accepted(TaskItem task)
        => TypedResults.Accepted($"/api/v1/tasks/{task.Id}", TaskResponse.From(task));

    /// <summary>The task as it is now (it may have run meanwhile), when the request matches the one that created it.</summary>
    private static Results<Accepted<TaskResponse>, ValidationProblem, ProblemHttpResult> Replay(TaskItem existing, string requestHash)
        => existing.RequestHash == requestHash ? Accepted(existing) : TaskProblems.IdempotencyKeyReused();

    private static Task<TaskItem?> FindByKeyAsync(SaasDbContext db, string idempotencyKey, CancellationToken cancellationToken)
        => db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.IdempotencyKey == idempotencyKey, cancellationToken);
}
