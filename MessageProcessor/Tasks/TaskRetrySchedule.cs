using SaasAssistants.Database.Tasks;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// When a failed attempt runs again: the task type's retry policy (backoff with jitter; the default one unless
/// <c>Tasks:RetryPolicies</c> names the type), but never sooner than the provider asked (Retry-After on a 429), since
/// coming back earlier would only fail again.
/// </summary>
public sealed class TaskRetrySchedule(RetryPolicy policy, TimeProvider time, IReadOnlyDictionary<string, RetryPolicy>? policiesByType = null)
{
    public DateTimeOffset NextAttemptAt(string type, int failedAttempt, TimeSpan? retryAfter = null)
    {
        var next = (policiesByType?.GetValueOrDefault(type) ?? policy).NextAttemptAt(failedAttempt);
        return retryAfter is { } wait && time.GetUtcNow() + wait > next ? time.GetUtcNow() + wait : next;
    }
}
