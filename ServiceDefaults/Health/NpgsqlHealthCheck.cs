using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace SaasAssistants.ServiceDefaults.Health;

/// <summary>A round trip to PostgreSQL through the same data source (pool, credentials) the service uses.</summary>
internal sealed class NpgsqlHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL did not answer SELECT 1.", ex);
        }
    }
}
