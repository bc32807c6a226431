using System.Text.Json;
using System.Text.Json.Serialization;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// A task and where it is in its life. Status and the value types are the seeds' names verbatim ("DeadLetter",
/// "LLM_Generation"), as stored and as the status filter takes them: the API's camelCase enum policy would garble them.
/// </summary>
/// <param name="Id">The task's id.</param>
/// <param name="Type">What runs it, e.g. "ai.generate".</param>
/// <param name="Status">Created, Queued, Running, Succeeded, Failed, Cancelled or DeadLetter.</param>
/// <param name="Priority">A higher number runs first.</param>
/// <param name="Payload">The processor's input, as submitted.</param>
/// <param name="DomainType">Business area, if given.</param>
/// <param name="CapabilityType">Machinery, if given.</param>
/// <param name="ExecutionType">Execution style, if given.</param>
/// <param name="ScheduledAt">Not claimed before this (UTC); moved forward by a retry's backoff.</param>
/// <param name="MaxAttempts">Attempts allowed before the task is dead-lettered.</param>
/// <param name="AttemptCount">Attempts started so far.</param>
/// <param name="LastError">The latest failure, "code: detail".</param>
/// <param name="CancelRequestedAt">When a cancel was asked for (UTC).</param>
/// <param name="IdempotencyKey">The Idempotency-Key it was created with.</param>
/// <param name="CorrelationId">The correlation id of the request that created it.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">Its latest change (UTC).</param>
/// <param name="StartedAt">When its first attempt started (UTC).</param>
/// <param name="FinishedAt">When it ended (UTC).</param>
public sealed record TaskResponse(
    Guid Id,
    string Type,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TaskItemStatus>))] TaskItemStatus Status,
    int Priority,
    JsonElement Payload,
    // Public contract: nullable fields are always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(JsonStringEnumConverter<DomainType>))] DomainType? DomainType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(JsonStringEnumConverter<CapabilityType>))] CapabilityType? CapabilityType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(JsonStringEnumConverter<ExecutionType>))] ExecutionType? ExecutionType,
    DateTimeOffset ScheduledAt,
    int MaxAttempts,
    int AttemptCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? LastError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? CancelRequestedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IdempotencyKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CorrelationId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? StartedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? FinishedAt)
{
    /// <summary>In memory: the payload is jsonb text that becomes a JSON value of the response, not a string.</summary>
    public static TaskResponse From(TaskItem task) => new(
        task.Id, task.Type, task.Status, task.Priority, JsonSerializer.Deserialize<JsonElement>(task.Payload),
        task.DomainType, task.CapabilityType, task.ExecutionType, task.ScheduledAt, task.MaxAttempts, task.AttemptCount,
        task.LastError, task.CancelRequestedAt, task.IdempotencyKey, task.CorrelationId, task.CreatedAt, task.UpdatedAt,
        task.StartedAt, task.FinishedAt);
}
