namespace SaasAssistants.MessageProcessor.Buffering;

/// <summary>The <c>Buffering</c> section: how the per-conversation reply buffer is polled and claimed.</summary>
public sealed class ReplyBufferOptions
{
    public const string SectionName = "Buffering";

    /// <summary>The sorted set of due conversations; deployments (or test runs) sharing one Redis each need their own.</summary>
    public string Key { get; set; } = "replies:due";

    /// <summary>
    /// The longest a flusher sleeps without looking. It sleeps until the schedule's earliest due time and its own
    /// instance's new schedules wake it, so this only bounds how soon it sees a schedule that another instance made after
    /// it looked (that instance's flusher is awake for it; this one helps at peaks).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a claimed conversation stays hidden from the other instances; if the claimer dies, it reappears.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Conversations flushed at once by one instance (each flush is one short transaction that mostly waits on
    /// PostgreSQL, so more than the cores pays off; the connection pool's 100 is far away).
    /// </summary>
    public int FlushConcurrency { get; set; } = 16;

    /// <summary>Conversations claimed per poll at most (never more than there are free flush slots).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How often PostgreSQL (the source of truth) is asked for unanswered messages that Redis no longer schedules (a
    /// Redis restart without persistence), and how old such a message must be to count as lost rather than buffered.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan SweepAge { get; set; } = TimeSpan.FromSeconds(90);
}
