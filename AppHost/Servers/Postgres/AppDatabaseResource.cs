using Npgsql;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The application's database on a PostgreSQL server (ours, or an existing one given as <c>ConnectionStrings:postgres</c>).
/// Its connection string, what WithReference hands to a service, is the application role's (under row level security)
/// and carries nothing of the owner's credentials; <see cref="OwnerConnectionStringExpression"/> is for the migrator,
/// which creates the database, the role and the schema.
/// </summary>
public sealed class AppDatabaseResource : Resource, IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public AppDatabaseResource(string name, string databaseName, IResourceWithConnectionString parent, string appRole, ParameterResource appRolePassword)
        : base(name)
    {
        DatabaseName = databaseName;
        Parent = parent;
        AppRole = appRole;
        AppRolePasswordParameter = appRolePassword;
        OwnerConnectionStringExpression = ReferenceExpression.Create($"{new DerivedConnectionString(this, asAppRole: false)}");
        ConnectionStringExpression = ReferenceExpression.Create($"{new DerivedConnectionString(this, asAppRole: true)}");
    }

    public string DatabaseName { get; }

    public IResourceWithConnectionString Parent { get; }

    public string AppRole { get; }

    public ParameterResource AppRolePasswordParameter { get; }

    public ReferenceExpression OwnerConnectionStringExpression { get; }

    public ReferenceExpression ConnectionStringExpression { get; }

    /// <summary>The server's connection string with this database, and for the app role its own user and password.</summary>
    private sealed class DerivedConnectionString(AppDatabaseResource database, bool asAppRole) : IValueProvider, IManifestExpressionProvider
    {
        public string ValueExpression => $"{{{database.Name}.{(asAppRole ? "connectionString" : "ownerConnectionString")}}}";

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
        {
            var server = await database.Parent.ConnectionStringExpression.GetValueAsync(cancellationToken);
            var builder = new NpgsqlConnectionStringBuilder(server) { Database = database.DatabaseName };
            if (asAppRole)
            {
                builder.Username = database.AppRole;
                builder.Password = await database.AppRolePasswordParameter.GetValueAsync(cancellationToken);
            }

            return builder.ConnectionString;
        }
    }
}
