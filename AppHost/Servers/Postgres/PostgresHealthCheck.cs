using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace SaasAssistants.AppHost.Servers;

/// <summary>Healthy = accepts the owner's connection and answers a query (the port alone opens before recovery ends).</summary>
internal sealed class PostgresHealthCheck(IResourceWithConnectionString server) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        // Unpooled: an idle pooled connection would hold the server open on shutdown (smart shutdown waits for it).
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3, Database = "postgres" };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
