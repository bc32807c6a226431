using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// The live (SignalR) connections this instance holds, by user, so a removed user's open pages stop receiving
/// conversations at once: the cookie is checked only when a connection starts, not for the messages it then carries.
/// Registered as a hub filter, so every hub's connections are tracked without the hubs knowing.
/// </summary>
public sealed class UserConnections : IHubFilter
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, HubCallerContext>> _byUser = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (context.Context.User is { } user && Guid.TryParse(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId))
        {
            _byUser.GetOrAdd(userId, _ => new()).TryAdd(context.Context.ConnectionId, context.Context);
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (Guid.TryParse(context.Context.User?.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId)
            && _byUser.TryGetValue(userId, out var connections))
        {
            connections.TryRemove(context.Context.ConnectionId, out _);
        }
        await next(context, exception);
    }

    /// <returns>How many connections were ended.</returns>
    public int Abort(Guid userId)
    {
        if (!_byUser.TryRemove(userId, out var connections))
        {
            return 0;
        }

        foreach (var connection in connections.Values)
        {
            connection.Abort();
        }
        return connections.Count;
    }
}
