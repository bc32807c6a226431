namespace SaasAssistants.Contracts.Events;

/// <summary>
/// Base of every event that crosses a service boundary. The routing key on the bus is the concrete type's name;
/// <see cref="TenantId"/> is always set, so a consumer can scope its work to one tenant before touching data.
/// </summary>
public abstract record IntegrationEvent
{
    public Guid EventId { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
    public required Guid TenantId { get; init; }

    public string EventName => GetType().Name;
}
