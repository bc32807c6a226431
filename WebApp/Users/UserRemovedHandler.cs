using SaasAssistants.Contracts.Events.Users;
using SaasAssistants.EventBus;

namespace SaasAssistants.WebApp.Users;

/// <summary>Ends a removed user's live connections on this instance (every instance gets the event: its queue is per instance).</summary>
public sealed class UserRemovedHandler(UserConnections connections, ILogger<UserRemovedHandler> logger) : IIntegrationEventHandler<UserRemoved>
{
    public Task HandleAsync(UserRemoved @event, CancellationToken cancellationToken)
    {
        var ended = connections.Abort(@event.UserId);
        if (ended > 0)
        {
            logger.LogInformation("Ended {Count} live connections of removed user {UserId}", ended, @event.UserId);
        }
        return Task.CompletedTask;
    }
}
