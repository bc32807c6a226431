namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>A running task whose worker stopped renewing its lease, as task_rescue_expired found it.</summary>
public sealed record ExpiredLease(Guid Id, Guid TenantId, string Type, string? LockedBy, int Attempt);
