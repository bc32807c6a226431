using Npgsql;
using SaasAssistants.Database.Notifications;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// Ends a suspended tenant's live connections on this instance. Tenants are suspended in the database (there is no admin
/// page); trigger tenants_suspended (migration 0022) notifies each tenant whose status leaves 'active', with its id only.
/// Every instance listens, so every instance ends its own connections, as <see cref="UserRemovedHandler"/> does for a
/// removed user. A suspension notified while the listener was reconnecting still ends those sessions at their next
/// request (<see cref="Account.SessionValidator"/>), and a reconnecting page is refused at once.
/// </summary>
public sealed class TenantSuspensionListener(NpgsqlDataSource dataSource, UserConnections connections, ILogger<TenantSuspensionListener> logger)
    : BackgroundService
{
    public const string Channel = "tenant_suspended";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => new PostgresListener(dataSource, Channel, logger).RunAsync(payload =>
        {
            if (!Guid.TryParse(payload, out var tenantId))
            {
                logger.LogWarning("Ignored a malformed {Channel} notification", Channel);
                return;
            }

            var ended = connections.AbortTenant(tenantId);
            if (ended > 0)
            {
                logger.LogInformation("Ended {Count} live connections of suspended tenant {TenantId}", ended, tenantId);
            }
        }, onListening: null, whileDown: "a suspended tenant's live pages end at their next reconnect", stoppingToken);
}
