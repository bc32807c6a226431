using SaasAssistants.Database.Tasks;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>The <c>Tasks</c> configuration section.</summary>
public sealed class TaskEngineOptions
{
    public const string SectionName = "Tasks";

    /// <summary>
    /// Tasks this instance runs at once. AI calls mostly wait on the network, so well above the core count; and the
    /// more tasks are in flight, the more each completion write carries (bench/TaskThroughput, no-op tasks on 2 cores:
    /// about 700 tasks/s at 16, 1,100 at 64, 1,550 at 128).
    /// </summary>
    public int Concurrency { get; set; } = 128;

    /// <summary>Most tasks taken per claim: a quarter of the slots, so one instance does not take at once all the work others could start.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a claim is valid without a heartbeat; a dead worker's tasks wait this long to be rescued.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The safety net under the TaskQueued wake-up: scheduled tasks, retries and lost messages are found this often.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At shutdown, how long running tasks may finish before they are cancelled and handed back to the queue.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the rescuer looks for expired leases.</summary>
    public TimeSpan RescueInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int RescueBatchSize { get; set; } = 50;

    public TimeSpan RetryBaseDelay { get; set; } = RetryPolicy.DefaultBaseDelay;

    public TimeSpan RetryMaxDelay { get; set; } = RetryPolicy.DefaultMaxDelay;

    /// <summary>
    /// Backoff per task type, where the default does not fit: a webhook receiver may be down for hours, an AI provider
    /// rarely is. Types not listed use <see cref="RetryBaseDelay"/> and <see cref="RetryMaxDelay"/>.
    /// </summary>
    public Dictionary<string, TaskRetryOptions> RetryPolicies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Unacknowledged TaskQueued wake-ups the broker may push to this instance.</summary>
    public ushort Prefetch { get; set; } = 32;

    /// <summary>
    /// Claim only the types this instance has processors for, e.g. during a rolling deployment that adds a type. Off by
    /// default, so a task of a type nobody knows fails (unknown_task_type) instead of waiting forever.
    /// </summary>
    public bool ClaimKnownTypesOnly { get; set; }

    /// <summary>Three beats per lease: one lost beat (a slow query, a GC pause) does not cost the lease.</summary>
    public TimeSpan HeartbeatInterval => Lease / 3;

    public IEnumerable<string> Validate()
    {
        if (Concurrency < 1)
        {
            yield return $"{SectionName}:Concurrency must be at least 1.";
        }

        if (BatchSize < 1)
        {
            yield return $"{SectionName}:BatchSize must be at least 1.";
        }

        if (Lease < TimeSpan.FromSeconds(1))
        {
            yield return $"{SectionName}:Lease must be at least one second.";
        }

        if (PollInterval <= TimeSpan.Zero || RescueInterval <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:PollInterval and {SectionName}:RescueInterval must be positive.";
        }

        if (ShutdownGrace < TimeSpan.Zero)
        {
            yield return $"{SectionName}:ShutdownGrace cannot be negative.";
        }

        if (RescueBatchSize < 1)
        {
            yield return $"{SectionName}:RescueBatchSize must be at least 1.";
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return $"{SectionName}:RetryBaseDelay must be positive and no more than {SectionName}:RetryMaxDelay.";
        }

        foreach (var (type, policy) in RetryPolicies)
        {
            if (policy.BaseDelay <= TimeSpan.Zero || policy.MaxDelay < policy.BaseDelay)
            {
                yield return $"{SectionName}:RetryPolicies:{type}: BaseDelay must be positive and no more than MaxDelay.";
            }
        }
        if (Prefetch < 1)
        {
            yield return $"{SectionName}:Prefetch must be at least 1.";
        }
    }
}
