using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// The real PublicApi, in memory, wired as the AppHost wires it: the app role's connection (under row level security).
/// Any type of the PublicApi assembly identifies its entry point; not Program, which several services declare globally.
/// </summary>
public sealed class PublicApiFactory(string databaseConnectionString) : WebApplicationFactory<ApiKeyAuthenticationHandler>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:saas", databaseConnectionString);
        builder.UseSetting("Logging:Directory", Path.Combine(Path.GetTempPath(), "saas-publicapi-tests", "logs"));
    }
}
