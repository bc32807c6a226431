using System.Runtime.Versioning;
using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Hosting.ApplicationModel;
using SaasAssistants.Database.Setup;

namespace SaasAssistants.Testing;

[SupportedOSPlatform("linux")]
public static class DistributedApplicationTestingExtensions
{
    /// <summary>What the migrator seeded: the demo tenant, agent sign-in, API key and web channel token.</summary>
    public static SeedResult GetSeedResult(this DistributedApplication app) =>
        app.GetResource<MigratorResource>("migrator").Result
        ?? throw new InvalidOperationException("The migrator has not finished (start the application first).");

    /// <summary>The owner's connection string to the application database (for arranging and inspecting data).</summary>
    public static string GetOwnerConnectionString(this DistributedApplication app, string databaseResourceName = "saas") =>
        app.GetResource<PostgresDatabaseResource>(databaseResourceName).GetOwnerConnectionString();
}
