namespace SaasAssistants.EventBus.Outbox;

/// <summary>A row handed to one relay by <c>outbox_lease</c>, to publish before the lease runs out.</summary>
internal sealed record LeasedOutboxMessage(Guid Id, Guid TenantId, string EventType, string Payload, string? CorrelationId, string? TraceParent);
