using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasAssistants.Database;
using SaasAssistants.EventBus;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>The MessageProcessor's task engine with the knowledge registrations, in this process: it runs the knowledge.index tasks.</summary>
public sealed class KnowledgeWorker(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public static async Task<KnowledgeWorker> StartAsync(string databaseConnectionString, string messagingConnectionString, string encryptionKey,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "knowledge-worker-test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = databaseConnectionString,
            ["ConnectionStrings:messaging"] = messagingConnectionString,
            ["Secrets:EncryptionKey"] = encryptionKey,
            ["Tasks:RetryBaseDelay"] = "00:00:00.100",
            ["Tasks:RetryMaxDelay"] = "00:00:01",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");
        builder.AddOutboxRelay();
        builder.AddTaskEngine();
        builder.AddKnowledgeIndexing();
        var host = builder.Build();
        await host.StartAsync();
        return new KnowledgeWorker(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
