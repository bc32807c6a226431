using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace SaasAssistants.Database.Tenancy;

/// <summary>See <see cref="TenantConnectionInterceptor"/>.</summary>
public sealed class TenantTransactionInterceptor(ITenantContext tenant) : DbTransactionInterceptor
{
    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        await TenantSetting.ApplyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)result, tenant.TenantId, isLocal: true, cancellationToken);
        return result;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        TenantSetting.ApplyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)result, tenant.TenantId, isLocal: true, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }
}
