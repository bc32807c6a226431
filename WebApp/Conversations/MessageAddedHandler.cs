using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// Pushes a stored message to the agents watching. The groups are named from the event's own tenant id, so an event
/// can only reach that tenant's connections. Pushing twice is harmless: the page script ignores a message it already shows.
/// </summary>
public sealed class MessageAddedHandler(
    IHubContext<ConversationHub> hub,
    ITenantContext tenant,
    SaasDbContext db) : IIntegrationEventHandler<MessageAdded>
{
    public const string MessageAddedMethod = "messageAdded";
    public const string ConversationUpdatedMethod = "conversationUpdated";

    public async Task HandleAsync(MessageAdded @event, CancellationToken cancellationToken)
    {
        // The event does not say who wrote an outbound message (assistant or which agent), nor its delivery state; the row does.
        tenant.SetTenant(@event.TenantId);
        var row = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == @event.MessageId, cancellationToken);

        var direction = MessageView.ToWire(@event.Direction);
        var contentType = MessageView.ToWire(@event.Content.Type);
        var agentName = row?.AgentId is { } agentId
            ? await db.Users.Where(u => u.Id == agentId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken)
            : null;
        var message = row is not null
            ? MessageView.From(row) with { AgentName = agentName }
            : new MessageView(@event.ConversationId, @event.MessageId, direction, null, @event.Content.Text, contentType, @event.CreatedAt)
            {
                Media = MessageView.ShownMedia(@event.Direction, @event.Content.Media),
                Location = @event.Content.Location,
            };
        var activity = new ConversationActivity(@event.ConversationId, direction, @event.Content.Text, contentType, @event.CreatedAt);

        await hub.Clients.Group(ConversationGroups.Conversation(@event.TenantId, @event.ConversationId))
            .SendAsync(MessageAddedMethod, message, cancellationToken);
        await hub.Clients.Group(ConversationGroups.Tenant(@event.TenantId))
            .SendAsync(ConversationUpdatedMethod, activity, cancellationToken);
    }
}
