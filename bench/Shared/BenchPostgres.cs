using Microsoft.Extensions.Logging.Abstractions;
using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench;

/// <summary>
/// A benchmark's own PostgreSQL, shared by the benchmarks that start their own servers (linked into each project):
/// tests/Testing's <see cref="PostgresServer"/> on a free port inside the run's temporary folder, and its database set
/// up by <see cref="DatabaseSetup"/> (migrations, the services' role and its grants), as the tests set theirs up.
/// </summary>
internal static class BenchPostgres
{
    public const string DatabaseName = "bench";
    public const string AppRole = "saas_app";

    /// <summary>The run's temporary folder, which the postgres user may enter to reach its data folder inside.</summary>
    public static string CreateFolder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        return folder;
    }

    /// <summary>The server, not started yet; <paramref name="durable"/> false turns fsync off.</summary>
    public static PostgresServer Create(string folder, bool durable)
        => new(new PostgresServerOptions(Path.Combine(folder, "postgres"), PortAvailability.GetFreePort(), TestSecrets.RandomUrlSafe(24))
        {
            Durable = durable,
        });

    /// <summary>Sets up the started server's database, with <see cref="AppRole"/> signing in with <paramref name="appRolePassword"/>.</summary>
    public static Task SetUpAsync(PostgresServer server, string appRolePassword, CancellationToken cancellationToken)
        => DatabaseSetup.RunAsync(server.GetConnectionString(DatabaseName),
            new DatabaseSetupOptions { AppRoleName = AppRole, AppRolePassword = appRolePassword }, NullLogger.Instance, cancellationToken);
}
