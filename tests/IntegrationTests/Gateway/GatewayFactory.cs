using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasAssistants.Gateway.Webhooks;
using SaasAssistants.Testing;

namespace SaasAssistants.IntegrationTests.Gateway;

/// <summary>The real Gateway in memory, wired as the AppHost wires it, on the shared test servers and a test database.</summary>
public sealed class GatewayFactory(TestDatabase database, string redis, string messaging, int webhooksPerMinute = 600)
    : WebApplicationFactory<WebhookIntake>
{
    /// <summary>Further configuration for one test class (e.g. a limit), applied after the defaults above.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:saas", database.AppConnectionString);
        builder.UseSetting("ConnectionStrings:redis", redis);
        builder.UseSetting("ConnectionStrings:messaging", messaging);
        builder.UseSetting("Secrets:EncryptionKey", database.EncryptionKey);
        builder.UseSetting("RateLimits:WebhooksPerMinute", webhooksPerMinute.ToString());
        // The same minute for every plan, so a test's limit holds whatever plan its tenant is on.
        foreach (var plan in new[] { "trial", "starter", "pro", "enterprise" })
        {
            builder.UseSetting($"RateLimits:Plans:{plan}:PerMinute", webhooksPerMinute.ToString());
        }
        // The tests that count requests need every one counted: on a loaded machine the first calls (the multiplexer
        // still connecting) can outlast the 100 ms production budget and pass uncounted. Failing open has its own test.
        builder.UseSetting("RateLimits:RedisTimeout", "00:00:10");
        builder.UseSetting("Logging:Directory", Path.Combine(Path.GetTempPath(), "saas-gateway-tests", "logs"));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public static async Task<GatewayFactory> CreateAsync(TestDatabase database, int webhooksPerMinute = 600)
    {
        var servers = TestServers.Shared;
        return new GatewayFactory(database, await servers.GetRedisConnectionStringAsync(), await servers.GetRabbitMQConnectionStringAsync(), webhooksPerMinute);
    }
}
