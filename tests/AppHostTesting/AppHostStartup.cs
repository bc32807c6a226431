using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.AppHost.Diagnostics;

namespace SaasAssistants.Testing;

/// <summary>
/// Starting the real AppHost in a test so that a start that goes wrong says why, at once. In run mode Aspire keeps a
/// dependent waiting for a dependency that exited (a developer may restart it from the dashboard), so a server that
/// cannot bind its port would hold the test until its timeout with nothing but cancellations in the log. Here the
/// first resource to exit with a failure code ends the start, and the error lists every resource's state with the
/// last log lines of each one that is not up.
/// </summary>
public static class AppHostStartup
{
    private const int LogLinesPerResource = 25;

    public static async Task StartUntilHealthyAsync(this DistributedApplication app, IEnumerable<string> resources, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failure = WatchForFailedExitAsync(app, stop);
        try
        {
            await app.StartAsync(stop.Token);
            await Task.WhenAll(resources.Select(r => app.ResourceNotifications.WaitForResourceHealthyAsync(r, stop.Token)));
        }
        catch (Exception e) when (e is OperationCanceledException or DistributedApplicationException)
        {
            await stop.CancelAsync();
            var reason = await failure ?? $"{e.GetType().Name}: {e.Message}";
            throw new InvalidOperationException($"The AppHost did not come up ({reason}).\n{await DescribeAsync(app)}", e);
        }
        finally
        {
            // The watcher ends before its token source is disposed.
            await stop.CancelAsync();
            await failure;
        }
    }

    /// <summary>The first resource that exits with a non-zero code, which also cancels <paramref name="stop"/>.</summary>
    private static async Task<string?> WatchForFailedExitAsync(DistributedApplication app, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var change in app.ResourceNotifications.WatchAsync(stop.Token))
            {
                if (change.Snapshot.ExitCode is { } code && code != 0)
                {
                    await stop.CancelAsync();
                    return $"{change.Resource.Name} exited with code {code}";
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return null;
    }

    /// <summary>Each resource's state and health; for those not up, their last log lines.</summary>
    private static async Task<string> DescribeAsync(DistributedApplication app)
    {
        var report = new StringBuilder();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Where(r => r is not ParameterResource))
        {
            var snapshot = app.ResourceNotifications.TryGetCurrentState(resource.Name, out var current) ? current.Snapshot : null;
            var state = snapshot?.State?.Text ?? "(no state)";
            report.Append($"- {resource.Name}: {state}, health {snapshot?.HealthStatus?.ToString() ?? "-"}");
            report.AppendLine(snapshot?.ExitCode is { } exitCode ? $", exit code {exitCode}" : string.Empty);
            var up = state == "Running" && snapshot?.HealthStatus is null or HealthStatus.Healthy
                || state == "Finished" && snapshot?.ExitCode is 0;
            if (up)
            {
                continue;
            }

            var lines = await ResourceLogTail.ReadAsync(logs, resource, LogLinesPerResource);
            foreach (var line in lines)
            {
                report.AppendLine($"    | {line}");
            }
        }

        return report.ToString();
    }
}
