using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Testing;
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

    public void Dispose() => Host.Dispose();
}
