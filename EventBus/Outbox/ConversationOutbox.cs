using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.EventBus.Outbox;

/// <summary>The outbox writer behind <see cref="AgentActions"/>: the scope's SaasDbContext, with trace context and correlation id.</summary>
public sealed class ConversationOutbox(SaasDbContext db) : IConversationOutbox
{
    public void Add(IntegrationEvent @event) => db.AddIntegrationEvent(@event);

    public string? CorrelationId => CorrelationContext.Current;
}
