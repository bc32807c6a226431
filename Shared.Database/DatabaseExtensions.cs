using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.Database;

public static class DatabaseExtensions
{
    /// <summary>
    /// The services' access to PostgreSQL: Aspire's Npgsql data source from ConnectionStrings:saas (role saas_app, under
    /// row level security; health check, traces and metrics come with it), the tenant-scoped <see cref="SaasDbContext"/>
    /// on that data source, enriched by Aspire's EF Core integration, and the channel-secret protector.
    /// </summary>
    public static IHostApplicationBuilder AddSaasDatabase(this IHostApplicationBuilder builder, string connectionName = "saas")
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            SaasNpgsqlOptions.ConfigureDataSource(dataSource);
            // Shows which service holds a connection in pg_stat_activity.
            dataSource.ConnectionStringBuilder.ApplicationName ??= serviceName;
            // A command becomes a span only inside a trace (a request, a consumed event, a task run). The background
            // polls (outbox relay, task claims, buffer sweep) would otherwise fill the dashboard's trace list with
            // parentless one-span traces, several a second, burying the traces people look for.
            dataSource.ConfigureTracing(tracing => tracing
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null));
        });

        builder.Services.AddScoped<ITenantContext, TenantContext>();
        builder.Services.AddScoped<TenantConnectionInterceptor>();
        builder.Services.AddScoped<TenantTransactionInterceptor>();
        // Registered here and enriched below rather than AddNpgsqlDbContext: that one pools contexts, and a pooled
        // context cannot hold the scope's tenant interceptors.
        builder.Services.AddDbContext<SaasDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), SaasNpgsqlOptions.ConfigureDbContext)
            .AddInterceptors(sp.GetRequiredService<TenantConnectionInterceptor>(), sp.GetRequiredService<TenantTransactionInterceptor>()));
        builder.EnrichNpgsqlDbContext<SaasDbContext>(settings =>
        {
            // A retrying execution strategy refuses the explicit transactions the handlers open (outbox + change).
            settings.DisableRetry = true;
            // The data source's check already runs a query on the same pool.
            settings.DisableHealthChecks = true;
        });

        builder.Services.AddSingleton(_ => new SecretProtector(builder.Configuration["Secrets:EncryptionKey"]
            ?? throw new InvalidOperationException("Secrets:EncryptionKey is not configured (the AppHost sets Secrets__EncryptionKey).")));
        return builder;
    }
}
