namespace SaasAssistants.EventBus.Outbox;

/// <summary>Configuration section "Outbox".</summary>
public sealed class OutboxRelayOptions
{
    /// <summary>Rows leased and published per round trip.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The safety net under LISTEN/NOTIFY: how often to look for rows when no notification came.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a leased batch is reserved for one relay; a relay that dies lets it go after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a batch may wait for the broker's confirms before it is released and retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
