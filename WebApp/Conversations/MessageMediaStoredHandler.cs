using Microsoft.AspNetCore.SignalR;
using SaasAssistants.Contracts.Events;
using SaasAssistants.EventBus;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// Shows a customer's file on the open conversation page once media.fetch has stored it: the message itself was pushed
/// before the download, with only its label. The group is named from the event's own tenant id, so the push reaches
/// only that tenant's agents, and the URL is our media endpoint, which checks the tenant and conversation again.
/// </summary>
public sealed class MessageMediaStoredHandler(IHubContext<ConversationHub> hub) : IIntegrationEventHandler<MessageMediaStored>
{
    public const string MediaStoredMethod = "mediaStored";

    public Task HandleAsync(MessageMediaStored @event, CancellationToken cancellationToken)
        => hub.Clients.Group(ConversationGroups.Conversation(@event.TenantId, @event.ConversationId))
            .SendAsync(MediaStoredMethod, new MediaStoredChange(@event.ConversationId, @event.MessageId,
                ConversationReader.MediaPath(@event.ConversationId, @event.MediaId)), cancellationToken);
}
