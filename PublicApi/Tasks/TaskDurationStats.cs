using System.Text.Json.Serialization;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// Duration percentiles (PostgreSQL percentile_cont, interpolated) from a task's first start to its end, so retries and
/// their backoff count: that is what the caller waited. Null when no task qualifies.
/// </summary>
/// <param name="Count">Tasks measured.</param>
/// <param name="P50Seconds">Median duration in seconds.</param>
/// <param name="P95Seconds">95th percentile in seconds.</param>
/// <param name="P99Seconds">99th percentile in seconds.</param>
public sealed record TaskDurationStats(
    int Count,
    // Public contract: nullable fields are always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P50Seconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P95Seconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P99Seconds);
