using Microsoft.AspNetCore.SignalR;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.EventBus;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// Tells the agents watching a conversation that its state, its handoff or its notes changed (by another agent, the
/// assistant, the lifecycle task or the API), so the page can show it. Like <see cref="MessageAddedHandler"/>, the
/// group is named from the event's own tenant id. The payload carries ids and names of states only, never text.
/// </summary>
public sealed class ConversationChangedHandler(IHubContext<ConversationHub> hub)
    : IIntegrationEventHandler<ConversationStateChanged>, IIntegrationEventHandler<ConversationHandoffChanged>, IIntegrationEventHandler<ConversationNoteAdded>
{
    public const string ConversationChangedMethod = "conversationChanged";

    public Task HandleAsync(ConversationStateChanged @event, CancellationToken cancellationToken)
        => PushAsync(@event.TenantId, new ConversationChange(@event.ConversationId, "state", @event.To, @event.Version, null), cancellationToken);

    public Task HandleAsync(ConversationHandoffChanged @event, CancellationToken cancellationToken)
        => PushAsync(@event.TenantId, new ConversationChange(@event.ConversationId, "handoff", @event.To, @event.Version, null), cancellationToken);

    public Task HandleAsync(ConversationNoteAdded @event, CancellationToken cancellationToken)
        => PushAsync(@event.TenantId, new ConversationChange(@event.ConversationId, "note", null, null, @event.NoteId), cancellationToken);

    private Task PushAsync(Guid tenantId, ConversationChange change, CancellationToken cancellationToken)
        => hub.Clients.Group(ConversationGroups.Conversation(tenantId, change.ConversationId))
            .SendAsync(ConversationChangedMethod, change, cancellationToken);
}

/// <param name="Kind">state, handoff or note.</param>
/// <param name="To">The new state or handoff.</param>
/// <param name="Version">The conversation's version after the change: the page ignores what it already shows.</param>
/// <param name="NoteId">The note added (kind note): likewise ignored when already shown.</param>
public sealed record ConversationChange(Guid ConversationId, string Kind, string? To, int? Version, Guid? NoteId);
