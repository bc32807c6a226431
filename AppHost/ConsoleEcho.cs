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
    public static void StartIfEnabled(DistributedApplication app)
    {
        if (!app.Services.GetRequiredService<IConfiguration>().GetValue("AppHost:EchoLogs", false))
        {
            return;
        }

        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        var stopping = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            _ = Task.Run(async () =>
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
            });
        }
    }
}
