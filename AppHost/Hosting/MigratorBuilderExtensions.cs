using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

public static class MigratorBuilderExtensions
{
    /// <summary>
    /// Runs SaasAssistants.Database.Setup.DatabaseSetup in the AppHost against the database, as its owner: migrations,
    /// the app role (see WithAppRole) and the development seed with the state folder's demo secrets. Waits for the database.
    /// </summary>
    public static IResourceBuilder<MigratorResource> AddMigrator(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<PostgresDatabaseResource> database)
    {
        var migrator = builder.AddResource(new MigratorResource(name, database.Resource, builder.State));
        migrator.Resource.Waits.Add(new WaitAnnotation(database.Resource, WaitType.WaitUntilHealthy));
        return migrator;
    }
}
