using SaasAssistants.Contracts.Events;

namespace SaasAssistants.Database.Conversations;

/// <summary>
/// The transactional outbox as <see cref="AgentActions"/> sees it. The writer itself lives in EventBus (it carries the
/// trace context and correlation id), which references this project, not the other way round.
/// </summary>
public interface IConversationOutbox
{
    /// <summary>Adds the event to the scope's SaasDbContext, to be saved by the caller's SaveChanges.</summary>
    void Add(IntegrationEvent @event);

    /// <summary>The request's correlation id, stamped on the tasks an action queues.</summary>
    string? CorrelationId { get; }
}
