namespace SaasAssistants.Contracts.Events.Tasks;

/// <summary>What every task event carries: which task, of which type, and the correlation id it was created under.</summary>
public abstract record TaskEvent : IntegrationEvent
{
    public required Guid TaskId { get; init; }

    /// <summary>The task's type (e.g. "ai.generate"): consumers route on it without loading the task.</summary>
    public required string Type { get; init; }

    public string? CorrelationId { get; init; }
}
