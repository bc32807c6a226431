using System.Text.Json.Serialization;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>The tenant's task pipeline at a glance.</summary>
/// <param name="ByStatus">Number of tasks in each status; every status is present, zeros included.</param>
/// <param name="ByType">Number of tasks of each type.</param>
/// <param name="QueueDepth">Queued tasks that are due now (scheduled and backing-off tasks are not waiting yet).</param>
/// <param name="OldestQueuedAgeSeconds">How long the longest-waiting due task has waited since it became due; null when none waits.</param>
/// <param name="Succeeded24h">Durations of the tasks that succeeded in the last 24 hours.</param>
public sealed record TaskStatsResponse(
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByType,
    int QueueDepth,
    // Public contract: nullable fields are always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? OldestQueuedAgeSeconds,
    TaskDurationStats Succeeded24h);
