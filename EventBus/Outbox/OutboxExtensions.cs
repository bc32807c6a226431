using System.Text.Json;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.EventBus.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// Queues an integration event in the same unit of work as the change it reports: it is saved by the
    /// caller's SaveChanges (and so its transaction) and published by the <see cref="OutboxRelay"/> afterwards, in the
    /// trace of the current activity.
    /// </summary>
    public static OutboxMessage AddIntegrationEvent(this SaasDbContext db, IntegrationEvent @event)
    {
        var message = ToOutboxMessage(@event);
        db.OutboxMessages.Add(message);
        return message;
    }

    /// <summary>
    /// The outbox row of an event, for writers that insert it without EF (the Gateway's intake writes its rows in one
    /// batched round trip).
    /// </summary>
    public static OutboxMessage ToOutboxMessage(IntegrationEvent @event) => new()
    {
        Id = @event.EventId,
        TenantId = @event.TenantId,
        EventType = @event.EventName,
        Payload = JsonSerializer.Serialize(@event, @event.GetType(), ContractJson.Options),
        CorrelationId = CorrelationContext.Current,
        TraceParent = EventBusTelemetry.CurrentTraceParent(),
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
