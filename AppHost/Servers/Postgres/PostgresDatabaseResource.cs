namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The application's database on a PostgreSQL server (ours, or an existing one given as <c>ConnectionStrings:postgres</c>).
/// Its connection string, what WithReference hands to a service, is the application role's (under row level security);
/// <see cref="OwnerConnectionStringExpression"/> is for the migrator, which creates the database, the role and the schema.
/// </summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, IResourceWithConnectionString parent, string appRole, ParameterResource appRolePassword)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public IResourceWithConnectionString Parent { get; } = parent;

    public string AppRole { get; } = appRole;

    public ParameterResource AppRolePasswordParameter { get; } = appRolePassword;

    // Npgsql takes the last value of a repeated key, so these override what the server's connection string says.
    public ReferenceExpression OwnerConnectionStringExpression => ReferenceExpression.Create(
        $"{Parent.ConnectionStringExpression};Database={DatabaseName}");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Parent.ConnectionStringExpression};Database={DatabaseName};Username={AppRole};Password={AppRolePasswordParameter}");
}
