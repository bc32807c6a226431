using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SaasAssistants.AppHost.Diagnostics;

/// <summary>
/// A resource that exits with a failure code is reported on the console with its last log lines. Aspire keeps the
/// AppHost and every resource that waits on the failed one as they are (the dashboard can restart it), so without this
/// a server that cannot bind its port leaves ./run.sh silent: no summary, nothing saying why.
/// </summary>
internal static class FailedExitReport
{
    private const int LogLines = 12;

    public static void AddFailedExitReport(this IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((BeforeStartEvent e, CancellationToken cancellationToken) =>
        {
            var dashboard = DemoSummary.DashboardLink(e.Services.GetRequiredService<IConfiguration>());
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = WatchAsync(e.Services.GetRequiredService<ResourceNotificationService>(), e.Services.GetRequiredService<ResourceLoggerService>(), dashboard, stopping);
            return Task.CompletedTask;
        });

    private static async Task WatchAsync(ResourceNotificationService notifications, ResourceLoggerService logs, string dashboard, CancellationToken stopping)
    {
        // A resource's snapshots repeat its exit code; one report per run of it (a restart from the dashboard starts anew).
        var reported = new HashSet<(string ResourceId, DateTime? StartedAt)>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping))
            {
                if (change.Snapshot.ExitCode is not { } code || code == 0 || !reported.Add((change.ResourceId, change.Snapshot.StartTimeStamp)))
                {
                    continue;
                }

                var tail = await ResourceLogTail.ReadAsync(logs, change.Resource, LogLines);
                Console.Error.WriteLine();
                Console.Error.WriteLine($"  {change.Resource.Name} exited with code {code}. Whatever waits for it will not start. Its last log lines:");
                foreach (var line in tail)
                {
                    Console.Error.WriteLine($"    | {line}");
                }

                Console.Error.WriteLine(dashboard.StartsWith("http", StringComparison.Ordinal)
                    ? $"  Mend the cause and restart it from the dashboard ({dashboard}), or stop with Ctrl+C and run again."
                    : "  Mend the cause, stop with Ctrl+C and run again.");
                Console.Error.WriteLine();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
