using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SaasAssistants.AppHost.Servers;
using SaasAssistants.AppHost.State;

namespace Aspire.Hosting;

public static class PostgresBuilderExtensions
{
    /// <summary>
    /// A PostgreSQL server: the existing one named by <c>ConnectionStrings:{name}</c> (Aspire's AddConnectionString; the
    /// owner's credentials); else, where a container runtime answers, Aspire's own container (the pgvector image, a data
    /// volume); else a local PostgreSQL 15 on <paramref name="port"/> with its data in the state folder.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddPostgres(this IDistributedApplicationBuilder builder, string name, int port, AppHostState state)
    {
        if (builder.Configuration.GetConnectionString(name) is { Length: > 0 })
        {
            return builder.AddConnectionString(name);
        }

        var password = builder.AddSecretParameter($"{name}-password", state.Secrets.PostgresPassword);
        if (ContainerRuntime.IsAvailable(builder.Configuration))
        {
            return builder.AddPostgres(name, password: password, port: port)
                .WithImage("pgvector/pgvector", "pg17")
                .WithDataVolume();
        }

        var dataRoot = state.GetPostgresDirectory(LocalPostgresServerResource.OsUser);
        var binaries = PostgresBinaries.Directory;
        string[] asPostgres = Environment.IsPrivilegedProcess ? ["-u", LocalPostgresServerResource.OsUser, "--", Path.Combine(binaries, "postgres")] : [];
        var server = new LocalPostgresServerResource(name, Environment.IsPrivilegedProcess ? "runuser" : Path.Combine(binaries, "postgres"), dataRoot, password.Resource)
        {
            DataRoot = dataRoot,
        };

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (e, cancellationToken) =>
            PrepareAsync(server, e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server), cancellationToken));

        return builder.AddResource(server)
            .WithArgs(
            [
                .. asPostgres,
                "-D", Path.Combine(dataRoot, "data"),
                "-p", port.ToString(CultureInfo.InvariantCulture),
                "-k", Path.Combine(dataRoot, "sockets"),
                "-c", "listen_addresses=127.0.0.1",
            ])
            .WithEndpoint(LocalPostgresServerResource.EndpointName, e =>
            {
                e.Port = port;
                e.TargetPort = port;
                e.UriScheme = "tcp";
                e.IsProxied = false;
            })
            .WithPollingHealthCheck($"{name}-connect", () => new PostgresHealthCheck(server));
    }

    /// <summary>
    /// The application database <paramref name="name"/> on the server; services get the <paramref name="appRole"/>'s
    /// connection string (the migrator creates the role with the password from the state folder's secrets).
    /// </summary>
    public static IResourceBuilder<AppDatabaseResource> AddDatabase(
        this IResourceBuilder<IResourceWithConnectionString> server, string name, string appRole, string appRolePassword)
    {
        var builder = server.ApplicationBuilder;
        var password = builder.AddSecretParameter($"{name}-app-role-password", appRolePassword);
        var database = new AppDatabaseResource(name, name, server.Resource, appRole, password.Resource);

        // Nothing runs for the database itself: it is there as soon as its server is (the migrator creates it if missing).
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (e, _) =>
            e.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running }));
        return builder.AddResource(database)
            .WithParentRelationship(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", name), new("postgres.app_role", appRole)],
            });
    }

    /// <summary>A secret parameter (masked in the dashboard) whose value comes from the state folder.</summary>
    internal static IResourceBuilder<ParameterResource> AddSecretParameter(this IDistributedApplicationBuilder builder, string name, string value)
    {
        builder.Configuration[$"Parameters:{name}"] = value;
        return builder.AddParameter(name, secret: true);
    }

    /// <summary>Folders, ownership, initdb on first start; a postmaster of this data folder left by a killed run is stopped.</summary>
    private static async Task PrepareAsync(LocalPostgresServerResource server, ILogger logger, CancellationToken cancellationToken)
    {
        const string User = LocalPostgresServerResource.OsUser;
        var data = Path.Combine(server.DataRoot, "data");
        var sockets = Directory.CreateDirectory(Path.Combine(server.DataRoot, "sockets")).FullName;
        if (Environment.IsPrivilegedProcess)
        {
            await SetupCommand.RunCheckedAsync(logger, null, "chown", [$"{User}:{User}", server.DataRoot, sockets], cancellationToken);
        }

        if (File.Exists(Path.Combine(data, "postmaster.pid"))
            && await SetupCommand.RunAsync(logger, User, Path.Combine(PostgresBinaries.Directory, "pg_ctl"), ["status", "-D", data], cancellationToken) == 0)
        {
            logger.LogWarning("A server of {Data} is still running (left by an AppHost that was killed): stopping it", data);
            await SetupCommand.RunAsync(logger, User, Path.Combine(PostgresBinaries.Directory, "pg_ctl"), ["stop", "-D", data, "-m", "fast", "-w"], cancellationToken);
        }

        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            return;
        }

        var passwordFile = Path.Combine(server.DataRoot, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, await server.PasswordParameter.GetValueAsync(cancellationToken), cancellationToken);
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await SetupCommand.RunCheckedAsync(logger, null, "chown", [$"{User}:{User}", passwordFile], cancellationToken);
            }

            logger.LogInformation("initdb: creating {Data}", data);
            await SetupCommand.RunCheckedAsync(logger, User, Path.Combine(PostgresBinaries.Directory, "initdb"),
                ["-D", data, "-U", LocalPostgresServerResource.SuperUser, "--pwfile", passwordFile,
                 "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
                cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
