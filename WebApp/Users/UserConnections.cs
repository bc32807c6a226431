using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// The live (SignalR) connections this instance holds, with their user and tenant, so a removed user's or a suspended
/// tenant's open pages stop receiving conversations at once: the cookie is checked only when a connection starts, not
/// for the messages it then carries. Registered as a hub filter, so every hub's connections are tracked without the
/// hubs knowing.
/// </summary>
public sealed class UserConnections : IHubFilter
{
    private readonly ConcurrentDictionary<string, Connection> _byId = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (context.Context.User is { } user && Guid.TryParse(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId)
            && user.FindTenantId() is { } tenantId)
        {
            _byId.TryAdd(context.Context.ConnectionId, new Connection(userId, tenantId, context.Context));
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _byId.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    /// <returns>How many connections of the user were ended.</returns>
    public int Abort(Guid userId) => AbortWhere(connection => connection.UserId == userId);

    /// <returns>How many connections of the tenant's users were ended.</returns>
    public int AbortTenant(Guid tenantId) => AbortWhere(connection => connection.TenantId == tenantId);

    // A scan of this instance's connections: it runs only when a user is removed or a tenant suspended.
    private int AbortWhere(Func<Connection, bool> matches)
    {
        var ended = 0;
        foreach (var (id, connection) in _byId)
        {
            if (matches(connection) && _byId.TryRemove(id, out _))
            {
                connection.Context.Abort();
                ended++;
            }
        }
        return ended;
    }

    private sealed record Connection(Guid UserId, Guid TenantId, HubCallerContext Context);
}
