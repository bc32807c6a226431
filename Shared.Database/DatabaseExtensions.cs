using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SaasAssistants.Database.Outbox;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.Database;

public static class DatabaseExtensions
{
    /// <summary>
    /// The services' access to PostgreSQL: the data source from ConnectionStrings:saas (role saas_app, under row
    /// level security), the tenant-scoped <see cref="SaasDbContext"/>, and the channel-secret protector.
    /// </summary>
    public static IHostApplicationBuilder AddSaasDatabase(this IHostApplicationBuilder builder, string connectionName = "saas")
    {
        // pgvector's types on the connection (reading and writing vector columns) and in EF's model.
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource => dataSource.UseVector());
        builder.Services.AddScoped<ITenantContext, TenantContext>();
        builder.Services.AddScoped<TenantConnectionInterceptor>();
        builder.Services.AddScoped<TenantTransactionInterceptor>();
        builder.Services.AddDbContext<SaasDbContext>((sp, options) => options
            // ids.Contains(x) as one array parameter (= ANY(@ids)): one SQL text and one cached query for every list
            // length, instead of EF's default of a parameter per element, which compiles a new query shape per length.
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>(), npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter).UseVector())
            .AddInterceptors(sp.GetRequiredService<TenantConnectionInterceptor>(), sp.GetRequiredService<TenantTransactionInterceptor>()));
        builder.Services.AddSingleton(_ => new SecretProtector(builder.Configuration["Secrets:EncryptionKey"]
            ?? throw new InvalidOperationException("Secrets:EncryptionKey is not configured (the AppHost sets Secrets__EncryptionKey).")));
        return builder;
    }

    /// <summary>Publishes this service's outbox rows to RabbitMQ (needs AddRabbitMQClient).</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxRelayOptions>().BindConfiguration("Outbox");
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
