using System.Text.Json.Serialization;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// One execution of a task: the audit trail of what ran, with which model, at what cost. The worker's host name is
/// left out: it is our infrastructure, not the partner's business.
/// </summary>
/// <param name="Id">The attempt's id.</param>
/// <param name="AttemptNo">1-based, in the order the attempts ran.</param>
/// <param name="Status">Running, Succeeded, Failed, Cancelled, or Released (given back at a worker's shutdown, not a failure).</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="EndedAt">When it ended (UTC); null while running.</param>
/// <param name="Model">The AI model that actually answered, after any fallback.</param>
/// <param name="TokensIn">Prompt tokens.</param>
/// <param name="TokensOut">Completion tokens.</param>
/// <param name="Cost">In USD, from the configured price table.</param>
/// <param name="LatencyMs">The provider call's duration in milliseconds.</param>
/// <param name="ErrorCode">Why it failed, machine-readable (e.g. lease_expired).</param>
/// <param name="ErrorDetail">Why it failed, for people.</param>
public sealed record TaskAttemptResponse(
    Guid Id,
    int AttemptNo,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TaskAttemptStatus>))] TaskAttemptStatus Status,
    DateTimeOffset StartedAt,
    // Public contract: nullable fields are always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? EndedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? TokensIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? TokensOut,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Cost,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ErrorCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ErrorDetail);
