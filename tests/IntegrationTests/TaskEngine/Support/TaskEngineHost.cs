using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SaasAssistants.Database;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>
/// One worker instance in this process: the product's registrations (database, RabbitMQ, outbox relay,
/// <c>AddTaskEngine</c>) plus the test processors, on a fixture's database and virtual host. Several can run side by
/// side, like several MessageProcessor instances.
/// </summary>
public sealed class TaskEngineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private TaskEngineHost(IHost host, MemoryLog log)
    {
        _host = host;
        Log = log;
    }

    public MemoryLog Log { get; }

    public IServiceProvider Services => _host.Services;

    public string Worker => Services.GetRequiredService<WorkerIdentity>().Name;

    /// <summary>Builds the host without starting it (to drive a component by hand); <see cref="StartAsync"/> also starts it.</summary>
    public static TaskEngineHost Build(TaskEngineFixture fixture, ExecutionLog executions, IDictionary<string, string?>? settings = null,
        Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "task-engine-test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = fixture.Database.AppConnectionString,
            ["ConnectionStrings:messaging"] = fixture.Messaging.ConnectionString,
            ["Secrets:EncryptionKey"] = fixture.Database.EncryptionKey,
            ["Tasks:RetryBaseDelay"] = "00:00:00.100",
            ["Tasks:RetryMaxDelay"] = "00:00:01",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var log = new MemoryLog();
        builder.Logging.AddProvider(log);

        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");
        builder.AddOutboxRelay();
        builder.AddTaskEngine();
        builder.Services.AddSingleton(executions);
        builder.Services.AddTaskProcessor<RecordingProcessor>();
        builder.Services.AddTaskProcessor<BlockingProcessor>();
        builder.Services.AddTaskProcessor<FailingProcessor>();
        configure?.Invoke(builder);
        return new TaskEngineHost(builder.Build(), log);
    }

    public static async Task<TaskEngineHost> StartAsync(TaskEngineFixture fixture, ExecutionLog executions, IDictionary<string, string?>? settings = null,
        Action<IHostApplicationBuilder>? configure = null)
    {
        var host = Build(fixture, executions, settings, configure);
        await host._host.StartAsync();
        return host;
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
