using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.EventBus;

namespace SaasAssistants.Gateway.Widget;

/// <summary>Delivers the assistant's replies for web-widget conversations to the visitor's live connections.</summary>
public sealed class WidgetReplyHandler(WidgetConnections connections, ILogger<WidgetReplyHandler> logger) : IIntegrationEventHandler<AiResponseGenerated>
{
    public Task HandleAsync(AiResponseGenerated reply, CancellationToken cancellationToken)
    {
        if (reply.ChannelType != ChannelType.Web)
        {
            return Task.CompletedTask;
        }

        var message = new WidgetMessage(reply.MessageId, "outbound", reply.Content.Text, reply.CreatedAt);
        var delivered = connections.Publish(reply.ChannelId, reply.ExternalContactId, message);
        logger.LogDebug("Reply {MessageId} delivered to {Connections} widget connection(s) here", reply.MessageId, delivered);
        return Task.CompletedTask;
    }
}
