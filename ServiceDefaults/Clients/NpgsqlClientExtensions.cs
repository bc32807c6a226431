using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SaasAssistants.ServiceDefaults;
using SaasAssistants.ServiceDefaults.Clients;
using SaasAssistants.ServiceDefaults.Health;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// Aspire's AddNpgsqlDataSource: one <see cref="NpgsqlDataSource"/> (one pool) from ConnectionStrings:{name},
    /// also as <see cref="DbDataSource"/> and transient <see cref="NpgsqlConnection"/>, plus the "postgres" health check.
    /// <paramref name="configureDataSourceBuilder"/> is Aspire's hook of the same name (type plugins such as pgvector).
    /// </summary>
    public static void AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
    {
        var serviceName = ServiceIdentity.GetName(builder);
        RequiredConnectionString.ValidateOnStart(builder.Services, connectionName);

        builder.Services.AddSingleton(services =>
        {
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(
                RequiredConnectionString.Get(services.GetRequiredService<IConfiguration>(), connectionName));
            // Shows which service holds a connection in pg_stat_activity.
            dataSourceBuilder.ConnectionStringBuilder.ApplicationName ??= serviceName;
            dataSourceBuilder.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });
        builder.Services.AddSingleton<DbDataSource>(services => services.GetRequiredService<NpgsqlDataSource>());
        builder.Services.AddTransient(services => services.GetRequiredService<NpgsqlDataSource>().CreateConnection());

        builder.Services.AddHealthChecks().AddCheck<NpgsqlHealthCheck>("postgres", tags: [HealthTags.Ready]);
    }
}
