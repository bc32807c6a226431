using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using Xunit;
using MessageProcessorServices = SaasAssistants.MessageProcessor.Extensions.ApplicationServiceExtensions;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>
/// MessageProcessor's own registrations on a test database and the shared Redis (with a buffer key of its own, so
/// parallel test classes never claim each other's conversations). Not started: the tests drive the handler, the
/// buffer, the flush and the processors themselves, each from a fresh scope as the service does.
/// </summary>
public sealed class EngineHost : IDisposable
{
    private EngineHost(IHost host, string bufferKey)
    {
        Host = host;
        BufferKey = bufferKey;
    }

    public IHost Host { get; }

    public string BufferKey { get; }

    public IServiceProvider Services => Host.Services;

    public static async Task<EngineHost> CreateAsync(TestDatabase database, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var bufferKey = "test:replies:due:" + Guid.NewGuid().ToString("N");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = database.AppConnectionString,
            // The consumers and relays are hosted services; this host is never started, so no broker is reached.
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1",
            ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync(),
            ["Secrets:EncryptionKey"] = database.EncryptionKey,
            ["Buffering:Key"] = bufferKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        // Through an alias: the AppHost reference brings other services' AddApplicationServices into scope too.
        MessageProcessorServices.AddApplicationServices(builder);
        services?.Invoke(builder.Services);
        return new EngineHost(builder.Build(), configuration["Buffering:Key"]!);
    }

    /// <summary>A scope of the tenant, as the consumer and the task engine make them.</summary>
    public AsyncServiceScope TenantScope(Guid tenantId)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return scope;
    }

    /// <summary>An inbound event through the service's own handler, in a fresh scope as the consumer makes it.</summary>
    public async Task HandleAsync(InboundMessageReceived evt)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
    }

    /// <summary>Runs a stored task's processor as the engine does: its payload, in a scope of its tenant.</summary>
    public async Task<TaskResult> RunTaskAsync(StoredRows rows, Guid tenantId, Guid taskId)
    {
        var task = Assert.Single(await rows.TasksAsync(), t => t.Id == taskId);
        await using var scope = TenantScope(tenantId);
        var processor = scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == task.Type);
        using var payload = JsonDocument.Parse(task.Payload);
        return await processor.ProcessAsync(new TaskExecution
        {
            TaskId = taskId, TenantId = tenantId, Type = task.Type, Attempt = 1, MaxAttempts = 3,
            Payload = payload.RootElement, Services = scope.ServiceProvider,
        }, CancellationToken.None);
    }

    public void Dispose() => Host.Dispose();
}
