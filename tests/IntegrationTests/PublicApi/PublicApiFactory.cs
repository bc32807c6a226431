using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.Testing;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// The real PublicApi, in memory, wired as the AppHost wires it: the app role's connection (under row level security).
/// Any type of the PublicApi assembly identifies its entry point; not Program, which several services declare globally.
/// </summary>
public sealed class PublicApiFactory(string databaseConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<ApiKeyAuthenticationHandler>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:saas", databaseConnectionString);
        // Encrypts the token signing keys at rest, as it does channel secrets.
        builder.UseSetting("Secrets:EncryptionKey", TestServers.Shared.EncryptionKey);
        // Token requests come from one address and a few keys here; the tests that count them set their own budget.
        builder.UseSetting("PublicApi:RateLimits:TokenRequestsPerIp", "1000000");
        builder.UseSetting("PublicApi:RateLimits:TokenRequestsPerClient", "1000000");
        // The limiter fails open after 150 ms without Redis (product default); on a loaded CI machine a new instance's first
        // round trips can take longer, and a test that counts would then see its request let through. As GatewayFactory.
        builder.UseSetting("PublicApi:RateLimits:RedisTimeout", "00:00:10");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:Directory", Path.Combine(Path.GetTempPath(), "saas-publicapi-tests", "logs"));
    }
}
