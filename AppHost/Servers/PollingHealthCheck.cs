using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasAssistants.AppHost.Servers;

/// <summary>
/// Asks <paramref name="inner"/> every <see cref="Interval"/> until it answers Healthy, for at most <see cref="Window"/>,
/// and returns its last answer. Why: Aspire re-checks an unhealthy resource after 1, 2, 3, 4, then every 5 s (not
/// configurable in 13.6), so a server or service that gets ready just after a check waits up to 5 s more to be seen,
/// and everything that waits for it with it. Polling inside the check notices it within a quarter of a second; a
/// healthy resource answers at the first try, so this costs nothing once running.
/// </summary>
internal sealed class PollingHealthCheck(IHealthCheck inner) : IHealthCheck
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + Window;
        while (true)
        {
            var result = await inner.CheckHealthAsync(context, cancellationToken);
            if (result.Status == HealthStatus.Healthy || DateTime.UtcNow + Interval > deadline)
            {
                return result;
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
