using SaasAssistants.Database;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// Whether a failed delivery attempt may be retried inside the delivery's window (3 days by default). The engine runs
/// the next attempt at most the policy's ceiling for this attempt (or the receiver's Retry-After, if longer) from now,
/// so a retry is allowed only when even that latest time is inside the window: the last attempt then falls within one
/// backoff step before the window ends, and never after it.
/// </summary>
public static class WebhookRetryWindow
{
    /// <summary>The <c>webhook.deliver</c> backoff unless <c>Tasks:RetryPolicies:webhook.deliver</c> says otherwise.</summary>
    public static readonly TaskRetryOptions DefaultPolicy = new() { BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromHours(8) };

    public static bool AllowsRetry(DateTimeOffset now, int failedAttempt, DateTimeOffset retryUntil, TimeSpan? retryAfter, TaskRetryOptions policy)
    {
        var ceiling = Backoff.Ceiling(failedAttempt, policy.BaseDelay, policy.MaxDelay);
        var latest = retryAfter is { } wait && wait > ceiling ? wait : ceiling;
        return now + latest <= retryUntil;
    }
}
