using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SaasAssistants.AppHost.Diagnostics;

/// <summary>
/// <c>--AppHost:Timeline=true</c>: one line per resource state or health change, with the seconds since the AppHost
/// process started, to see where a slow start-up spends its time (which resource waits on which, how long a server
/// takes from Running to Healthy). Off by default: the dashboard shows the same states.
/// </summary>
internal static class StartupTimeline
{
    public static void AddStartupTimeline(this IDistributedApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("AppHost:Timeline", false))
        {
            return;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((BeforeStartEvent e, CancellationToken cancellationToken) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            Write("timeline", "before start");
            _ = WatchAsync(notifications, stopping);
            return Task.CompletedTask;
        });
    }

    private static async Task WatchAsync(ResourceNotificationService notifications, CancellationToken stopping)
    {
        var last = new Dictionary<string, string>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping))
            {
                var snapshot = change.Snapshot;
                var line = $"{snapshot.State?.Text ?? "-"} health={snapshot.HealthStatus?.ToString() ?? "-"}"
                    + (snapshot.ExitCode is { } exitCode ? $" exit={exitCode}" : string.Empty);
                if (last.TryGetValue(change.ResourceId, out var previous) && previous == line)
                {
                    continue;
                }

                last[change.ResourceId] = line;
                Write(change.Resource.Name, line);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Write(string resource, string text) =>
        Console.WriteLine($"[timeline] +{(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds,6:0.00}s {resource,-20} {text}");
}
