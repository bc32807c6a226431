using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SaasAssistants.Database.Setup;

// Started by the AppHost before the services, which WaitForCompletion on it: as the database owner, create the database,
// apply the migrations, ensure the services' role (saas_app) and its grants, and, on the AppHost's own local servers
// only (Seed:Enabled), the demo tenant. Exit code 0 lets the services start; anything else keeps them waiting.
var builder = Host.CreateApplicationBuilder(args);
using var host = builder.Build();
var configuration = host.Services.GetRequiredService<IConfiguration>();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Migrator");
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

var options = new DatabaseSetupOptions
{
    AppRoleName = configuration["Database:AppRole"] ?? "saas_app",
    AppRolePassword = configuration["Database:AppRolePassword"] ?? throw new InvalidOperationException("Database:AppRolePassword is not set."),
    Seed = configuration.GetValue("Seed:Enabled", false)
        ? new SeedOptions
        {
            ApiKey = configuration["Seed:ApiKey"],
            WebChannelToken = configuration["Seed:WebChannelToken"],
            EncryptionKey = configuration["Secrets:EncryptionKey"] ?? throw new InvalidOperationException("Secrets:EncryptionKey is not set."),
            WhatsApp = configuration.GetSection("Seed:WhatsApp").Get<WhatsAppSeedOptions>() ?? new(),
            Instagram = configuration.GetSection("Seed:Instagram").Get<InstagramSeedOptions>() ?? new(),
        }
        : null,
};

var seed = await DatabaseSetup.RunAsync(
    configuration.GetConnectionString("saas") ?? throw new InvalidOperationException("ConnectionStrings:saas (the owner's) is not set."),
    options, logger, lifetime.ApplicationStopping);
if (seed is not null)
{
    logger.LogInformation("Demo tenant {TenantId}: sign in as {AgentEmail}; web channel {WebChannelToken}", seed.TenantId, seed.AgentEmail, seed.WebChannelToken);
}
