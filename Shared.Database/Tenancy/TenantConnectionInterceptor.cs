using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace SaasAssistants.Database.Tenancy;

/// <summary>
/// Puts the scope's tenant into PostgreSQL's app.tenant_id setting, which every row-level-security policy reads.
/// Set when a connection opens (for EF's one-statement-per-connection work) and again, transaction-local,
/// when a transaction starts (the tenant may have been resolved after the connection was opened).
/// With no tenant the setting is emptied, so the policies match nothing: a forgotten tenant reads no rows.
/// Npgsql resets session state when a connection returns to the pool, so nothing leaks to the next user.
/// </summary>
public sealed class TenantConnectionInterceptor(ITenantContext tenant) : DbConnectionInterceptor
{
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        => await ApplyAsync(connection, null, isLocal: false, cancellationToken);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        => ApplyAsync(connection, null, isLocal: false, CancellationToken.None).GetAwaiter().GetResult();

    internal Task ApplyAsync(DbConnection connection, DbTransaction? transaction, bool isLocal, CancellationToken cancellationToken)
        => TenantSetting.ApplyAsync((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction, tenant.TenantId, isLocal, cancellationToken);
}
