using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// <c>TaskThroughput worker</c>: one MessageProcessor-like instance running only the product's task engine
/// (<c>AddTaskEngine</c>, unchanged) plus the benchmark's <see cref="NoopProcessor"/>. Its settings come from the
/// environment (<see cref="WorkerFleet"/> sets them). It prepares, prints <see cref="ReadyLine"/>, waits for the gate
/// file, and only then starts the host, so every worker's first claim happens at the same moment and none of the
/// process start-up is inside the measurement. SIGTERM stops it the way it stops in production.
/// </summary>
public static class WorkerProcess
{
    public const string Argument = "worker";
    public const string ReadyLine = "bench-worker-ready";
    public const string GateSetting = "Bench:Gate";

    public static async Task<int> RunAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "bench-worker" });
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        // The product's levels (MessageProcessor/appsettings.json): the engine logs nothing per successful task.
        builder.Logging.SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning)
            .AddFilter("Npgsql", LogLevel.Warning)
            // The broker is absent on purpose (see WorkerFleet); its reconnect warnings would only be noise.
            .AddFilter("SaasAssistants.EventBus", LogLevel.None);
        // Inherited Logging__LogLevel__* variables come last and win, e.g. Logging__LogLevel__Npgsql=Debug shows every command.
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));

        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");
        builder.AddTaskEngine();
        builder.Services.AddTaskProcessor<NoopProcessor>();

        using var claimToStart = new ClaimToStartRecorder();
        using var host = builder.Build();
        await WarmUpAsync(host.Services);
        Console.WriteLine(ReadyLine);
        await WaitForGateAsync(builder.Configuration[GateSetting] ?? throw new InvalidOperationException($"{GateSetting} is not set."));
        await host.StartAsync();
        await host.WaitForShutdownAsync();
        claimToStart.WriteTo(builder.Configuration[ClaimToStartRecorder.FileSetting]
            ?? throw new InvalidOperationException($"{ClaimToStartRecorder.FileSetting} is not set."));
        return 0;
    }

    /// <summary>One-time costs every long-running worker has long paid (EF's model, a first pooled connection).</summary>
    private static async Task WarmUpAsync(IServiceProvider services)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            _ = scope.ServiceProvider.GetRequiredService<SaasDbContext>().Model;
        }

        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
    }

    private static async Task WaitForGateAsync(string path)
    {
        // A millisecond poll: the workers' starts must line up far closer than the engine's poll interval (1 s).
        while (!File.Exists(path))
        {
            await Task.Delay(1);
        }
    }
}
