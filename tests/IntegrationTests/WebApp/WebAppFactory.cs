using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasAssistants.WebApp.Conversations;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// The real WebApp, in memory, wired as the AppHost wires it: the app role's connection, RabbitMQ, the secrets key.
/// Any type of the WebApp assembly identifies its entry point; not Program, which several services declare globally.
/// </summary>
public sealed class WebAppFactory(string databaseConnectionString, string rabbitMQConnectionString, string encryptionKey,
    IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<ConversationHub>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:saas", databaseConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", rabbitMQConnectionString);
        builder.UseSetting("Secrets:EncryptionKey", encryptionKey);
        builder.UseSetting("Logging:Directory", Path.Combine(Path.GetTempPath(), "saas-webapp-tests", "logs"));
        // Tests sign in far more often than people do, and check sessions at once rather than every few minutes.
        builder.UseSetting("Account:SignInAttemptsPerMinute", "10000");
        builder.UseSetting("Account:RevalidateSessionAfter", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}
