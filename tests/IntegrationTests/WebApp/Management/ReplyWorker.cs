using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SaasAssistants.Testing;
using MessageProcessorServices = SaasAssistants.MessageProcessor.Extensions.ApplicationServiceExtensions;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>
/// The MessageProcessor's own registrations, started in this process on the pages' database: the task engine (which
/// polls PostgreSQL, so it claims what the WebApp queues), ai.reply with no provider configured (the built-in local
/// responder, which answers from the tenant's knowledge), and knowledge indexing. Its RabbitMQ virtual host is its own,
/// so its durable queues never take another test class's messages.
/// </summary>
public sealed class ReplyWorker(IHost host, RabbitMQVirtualHost messaging) : IAsyncDisposable
{
    public static async Task<ReplyWorker> StartAsync(string databaseConnectionString, string encryptionKey)
    {
        var messaging = await RabbitMQVirtualHost.CreateAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "reply-worker-test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = databaseConnectionString,
            ["ConnectionStrings:messaging"] = messaging.ConnectionString,
            ["ConnectionStrings:redis"] = await TestServers.Shared.GetRedisConnectionStringAsync(),
            ["Secrets:EncryptionKey"] = encryptionKey,
            ["Buffering:Key"] = "test:replies:due:" + Guid.NewGuid().ToString("N"),
        });
        // Through an alias: the AppHost reference brings other services' AddApplicationServices into scope too.
        MessageProcessorServices.AddApplicationServices(builder);
        var host = builder.Build();
        await host.StartAsync();
        return new ReplyWorker(host, messaging);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await messaging.DisposeAsync();
    }
}
