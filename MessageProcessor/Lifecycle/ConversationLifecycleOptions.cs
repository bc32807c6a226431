namespace SaasAssistants.MessageProcessor.Lifecycle;

/// <summary>The <c>Lifecycle</c> section: how often idle timeouts and expiry are applied, and how many per round.</summary>
public sealed class ConversationLifecycleOptions
{
    public const string SectionName = "Lifecycle";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 200;
}
