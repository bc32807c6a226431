using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SaasAssistants.AppHost;

/// <summary>
/// <c>--AppHost:EchoLogs=true</c>: every resource's console output on ours too, prefixed with its name. Off by default,
/// as in Aspire: the dashboard shows each resource's logs.
/// </summary>
internal static class ConsoleEcho
{
    public static void AddConsoleEcho(this IDistributedApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("AppHost:EchoLogs", false))
        {
            return;
        }

        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((AfterResourcesCreatedEvent e, CancellationToken cancellationToken) =>
        {
            var loggers = e.Services.GetRequiredService<ResourceLoggerService>();
            var stopping = e.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
            foreach (var resource in e.Model.Resources)
            {
                _ = EchoAsync(loggers, resource, stopping);
            }

            return Task.CompletedTask;
        });
    }

    private static async Task EchoAsync(ResourceLoggerService loggers, IResource resource, CancellationToken stopping)
    {
        try
        {
            await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(stopping))
            {
                foreach (var line in batch)
                {
                    Console.WriteLine($"[{resource.Name}] {line.Content}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
