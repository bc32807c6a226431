namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>A task this worker now runs, as task_claim returned it: enough to set the tenant scope and start.</summary>
public sealed record ClaimedTask(Guid Id, Guid TenantId, string Type, string Payload, int Attempt, int MaxAttempts, string? CorrelationId);
