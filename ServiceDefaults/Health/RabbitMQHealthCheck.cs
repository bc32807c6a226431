using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.ServiceDefaults.Messaging;

namespace SaasAssistants.ServiceDefaults.Health;

/// <summary>
/// Healthy while the shared connection is open. Answers at once, without waiting for a connection attempt, so
/// probes stay fast while the broker is down; probing also starts the first attempt in a service that has not
/// used the connection yet.
/// </summary>
internal sealed class RabbitMQHealthCheck(RabbitMQConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (connected, open) = connection.Peek();
        return Task.FromResult(
            open ? HealthCheckResult.Healthy()
            : connected ? new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ connection is closed (recovering).")
            : new HealthCheckResult(context.Registration.FailureStatus, "Not connected to RabbitMQ yet (retrying)."));
    }
}
