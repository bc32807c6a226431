using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// A <see cref="SaasDbContext"/> wired as AddSaasDatabase wires it: the app role's data source (row level security),
/// the tenant's query filter and its per-connection and per-transaction setting. No tenant: the policies match nothing.
/// </summary>
public static class TenantDbContexts
{
    public static SaasDbContext Create(NpgsqlDataSource dataSource, Guid? tenantId)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
        {
            tenant.SetTenant(id);
        }

        var options = new DbContextOptionsBuilder<SaasDbContext>()
            .UseNpgsql(dataSource, SaasNpgsqlOptions.ConfigureDbContext)
            .AddInterceptors(new TenantConnectionInterceptor(tenant), new TenantTransactionInterceptor(tenant))
            .Options;
        return new SaasDbContext(options, tenant);
    }
}
