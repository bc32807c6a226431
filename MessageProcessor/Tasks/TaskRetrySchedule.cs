using SaasAssistants.Database.Tasks;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// When a failed attempt runs again: the retry policy's backoff with jitter, but never sooner than the provider asked
/// (Retry-After on a 429), since coming back earlier would only fail again.
/// </summary>
public sealed class TaskRetrySchedule(RetryPolicy policy, TimeProvider time)
{
    public DateTimeOffset NextAttemptAt(int failedAttempt, TimeSpan? retryAfter = null)
    {
        var next = policy.NextAttemptAt(failedAttempt);
        return retryAfter is { } wait && time.GetUtcNow() + wait > next ? time.GetUtcNow() + wait : next;
    }
}
