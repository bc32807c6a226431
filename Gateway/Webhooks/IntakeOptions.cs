namespace SaasAssistants.Gateway.Webhooks;

/// <summary>How accepted deliveries are written (<see cref="AcceptedWebhookWriter"/>), from the <c>Intake</c> section.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>Writes in flight at once, each on its own pooled connection: while one waits for its commit, the next fills.</summary>
    public int Writers { get; set; } = 4;

    /// <summary>The most deliveries one write (one round trip, one commit) takes from the queue.</summary>
    public int MaxBatch { get; set; } = 128;
}
