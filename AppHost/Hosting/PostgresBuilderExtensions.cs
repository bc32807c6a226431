using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

public static class PostgresBuilderExtensions
{
    /// <summary>A PostgreSQL server (local in the state folder unless <c>ConnectionStrings:{name}</c> names one).</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new PostgresServerResource(name, builder.State, port));

    /// <summary>A database of that server; it is created by the migrator.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null) =>
        builder.ApplicationBuilder.AddResource(new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource));

    /// <summary>
    /// Services that reference the database connect as this role (created by the migrator, row level security enforced)
    /// instead of the owner. The password is generated once and kept in the state folder's secrets.json.
    /// </summary>
    public static IResourceBuilder<PostgresDatabaseResource> WithAppRole(this IResourceBuilder<PostgresDatabaseResource> builder, string roleName)
    {
        var state = builder.ApplicationBuilder.State;
        builder.Resource.AppRoleName = roleName;
        builder.Resource.AppRolePassword = () => state.Secrets.AppRolePassword;
        return builder;
    }
}
