namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// PostgreSQL 15 from the Debian package as a local process (no container runtime here): the <c>postgres</c> binary in
/// the foreground under DCP, as the postgres OS user when we are root, data in the state folder. Its connection string
/// is the superuser's (the owner of everything: only the migrator uses it).
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string SuperUser = "postgres";
    public const string OsUser = "postgres";
    internal const string EndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    /// <summary>Where data/ and sockets/ live (chosen at start: see AppHostState.GetPostgresDirectory).</summary>
    public required string DataRoot { get; init; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={SuperUser};Password={PasswordParameter}");
}
