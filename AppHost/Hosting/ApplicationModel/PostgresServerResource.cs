using Microsoft.Extensions.Configuration;
using Npgsql;
using SaasAssistants.AppHost.Hosting.Servers;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// A PostgreSQL server: a local one in <c>{state}/postgres</c>, or the one named by <c>ConnectionStrings:{name}</c> in the
/// AppHost's configuration (then nothing is started, and that connection string is the owner's).
/// </summary>
public sealed class PostgresServerResource : Resource, IResourceWithConnectionString
{
    private readonly AppHostState state;
    private string? externalConnectionString;

    public PostgresServerResource(string name, AppHostState state, int? port)
        : base(name)
    {
        this.state = state;
        AddEndpoint("tcp", "tcp", port);
    }

    public override string Type => "Postgres";

    public string ConnectionStringName => Name;

    public bool IsExternal => externalConnectionString is not null;

    public override IEnumerable<string> Urls => IsExternal
        ? [$"tcp://{Owner().Host}:{Owner().Port}"]
        : [$"tcp://127.0.0.1:{GetEndpoint("tcp").Port}"];

    public override void Configure(IConfiguration configuration) =>
        externalConnectionString = configuration.GetConnectionString(Name) is { Length: > 0 } given ? given : null;

    /// <summary>The owner's (superuser's) connection string.</summary>
    public string GetConnectionString() => GetOwnerConnectionString(database: null);

    /// <summary>The owner's connection string for a given database (null: the one configured, or "postgres").</summary>
    public string GetOwnerConnectionString(string? database)
    {
        var owner = Owner();
        if (database is not null)
        {
            owner.Database = database;
        }

        return owner.ConnectionString;
    }

    public override async Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken)
    {
        if (IsExternal)
        {
            return ResourceRun.Nothing();
        }

        var server = new PostgresServer(new PostgresServerOptions(state.GetPath("postgres"), GetEndpoint("tcp").Port, state.Secrets.PostgresPassword), context.Output);
        await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
        return ResourceRun.For(server);
    }

    public override Task<bool> CheckHealthAsync(CancellationToken cancellationToken) =>
        PostgresHealth.CanConnectAsync(GetConnectionString(), cancellationToken);

    private NpgsqlConnectionStringBuilder Owner() => externalConnectionString is not null
        ? new NpgsqlConnectionStringBuilder(externalConnectionString)
        : new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = GetEndpoint("tcp").Port,
            Username = PostgresServer.SuperUser,
            Password = state.Secrets.PostgresPassword,
            Database = "postgres",
        };
}
