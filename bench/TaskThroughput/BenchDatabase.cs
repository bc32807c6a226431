using Npgsql;
using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// A PostgreSQL of the benchmark's own, started with tests/Testing's <see cref="PostgresServer"/> on a free port in a
/// temporary folder, with one database set up by <see cref="DatabaseSetup"/> (migrations, the saas_app role and its
/// grants) and one tenant. Disposing stops the server (by its pid) and deletes the folder.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string DatabaseName = BenchPostgres.DatabaseName;
    public const string AppRole = BenchPostgres.AppRole;

    private readonly PostgresServer _server;

    private BenchDatabase(string folder, PostgresServer server, string appRolePassword, Guid tenantId)
    {
        Folder = folder;
        _server = server;
        AppRolePassword = appRolePassword;
        TenantId = tenantId;
    }

    /// <summary>The temporary folder: the server's data, and anything else the run writes (scripts, worker gates).</summary>
    public string Folder { get; }

    public Guid TenantId { get; }

    public int Port => _server.Port;

    /// <summary>The postmaster; every backend is its child.</summary>
    public int ServerPid => _server.Process?.Pid ?? throw new InvalidOperationException("PostgreSQL is not running.");

    public string AppRolePassword { get; }

    /// <summary>The owner (superuser, bypasses row level security): arranging and measuring.</summary>
    public string OwnerConnectionString => _server.GetConnectionString(DatabaseName);

    /// <summary>The services' role, under row level security: what the workers and pgbench use.</summary>
    public string AppConnectionString => new NpgsqlConnectionStringBuilder(OwnerConnectionString) { Username = AppRole, Password = AppRolePassword }.ConnectionString;

    public static async Task<BenchDatabase> StartAsync(bool durable, CancellationToken cancellationToken)
    {
        var folder = BenchPostgres.CreateFolder("saas-bench-");
        var server = BenchPostgres.Create(folder, durable);
        try
        {
            await server.StartAsync(TimeSpan.FromSeconds(120), cancellationToken);
            var appRolePassword = TestSecrets.RandomUrlSafe(24);
            await BenchPostgres.SetUpAsync(server, appRolePassword, cancellationToken);
            var database = new BenchDatabase(folder, server, appRolePassword, Guid.CreateVersion7());
            await database.ExecuteAsync($"INSERT INTO tenants (id, name) VALUES ('{database.TenantId}', 'bench')", cancellationToken);
            return database;
        }
        catch
        {
            await server.StopAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Empties the task tables, so every scenario starts from the same clean state (no dead rows in the claim index).</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => ExecuteAsync("TRUNCATE tasks, task_attempts, task_artifacts, outbox_messages", cancellationToken);

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenOwnerAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenOwnerAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<NpgsqlConnection> OpenOwnerAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.StopAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
