using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// The real PublicApi in memory, with Redis for the search cache and a small upload limit so "too large" is cheap to
/// test; in Development (its appsettings let a URL point at this machine) unless another environment is asked for.
/// </summary>
public sealed class KnowledgeApiFactory(string databaseConnectionString, string redisConnectionString, long maxDocumentBytes, string environment = "Development")
    : WebApplicationFactory<ApiKeyAuthenticationHandler>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:saas", databaseConnectionString);
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        // These tests poll a document's status with one key; the plans' limits are the rate-limit tests' business.
        foreach (var plan in new[] { "trial", "starter", "pro", "enterprise" })
        {
            builder.UseSetting($"PublicApi:RateLimits:Plans:{plan}:PerKey", "1000000");
            builder.UseSetting($"PublicApi:RateLimits:Plans:{plan}:PerTenant", "1000000");
        }
        builder.UseSetting("Knowledge:MaxDocumentBytes", maxDocumentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Logging:Directory", Path.Combine(Path.GetTempPath(), "saas-publicapi-tests", "logs"));
    }
}
