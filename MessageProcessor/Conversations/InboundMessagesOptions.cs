namespace SaasAssistants.MessageProcessor.Conversations;

/// <summary>Configuration section <c>InboundMessages</c>: how the InboundMessageReceived consumer takes its deliveries.</summary>
public sealed class InboundMessagesOptions
{
    public const string SectionName = "InboundMessages";

    /// <summary>
    /// Deliveries handled at once by one instance; one conversation's (same tenant, channel and contact) always one
    /// after another, in queue order. Each handler holds a database connection while it runs.
    /// </summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// Deliveries the broker hands over before they are acknowledged; several per handler, so that a conversation
    /// with many messages waiting in line does not keep the other handlers idle. Default: four per handler.
    /// </summary>
    public ushort? Prefetch { get; set; }

    public ushort EffectivePrefetch => Prefetch ?? (ushort)Math.Min(ushort.MaxValue, Math.Max(1, Concurrency) * 4);
}
