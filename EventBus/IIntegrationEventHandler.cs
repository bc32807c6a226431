using SaasAssistants.Contracts.Events;

namespace SaasAssistants.EventBus;

/// <summary>
/// Handles one integration event type. Resolved from a fresh DI scope per message; must be idempotent, because a
/// message is redelivered when the handler fails or the service stops halfway.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IntegrationEvent
{
    Task HandleAsync(TEvent @event, CancellationToken cancellationToken);
}
