using Npgsql;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A database in a <see cref="PostgresServerResource"/>. Its connection string (what WithReference hands to a service)
/// uses the application role when one is set (<c>WithAppRole</c>), so services never connect as the owner;
/// <see cref="GetOwnerConnectionString"/> is for the migrator. Creating the database is the migrator's job.
/// </summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    public PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
        : base(name)
    {
        DatabaseName = databaseName;
        Parent = parent;
        Waits.Add(new WaitAnnotation(parent, WaitType.WaitUntilHealthy));
        References.Add(parent);
    }

    public override string Type => "PostgresDatabase";

    public string DatabaseName { get; }

    public PostgresServerResource Parent { get; }

    public string ConnectionStringName => Name;

    /// <summary>The role services connect as (created by the migrator); null: they get the owner's credentials.</summary>
    public string? AppRoleName { get; internal set; }

    public Func<string>? AppRolePassword { get; internal set; }

    public override IEnumerable<string> Urls => [];

    public string GetConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(GetOwnerConnectionString());
        if (AppRoleName is not null)
        {
            builder.Username = AppRoleName;
            builder.Password = AppRolePassword?.Invoke();
        }

        return builder.ConnectionString;
    }

    public string GetOwnerConnectionString() => Parent.GetOwnerConnectionString(DatabaseName);

    public override Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ResourceRun.Nothing());

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken) => Parent.CheckHealthAsync(cancellationToken);
}
