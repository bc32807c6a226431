using Npgsql;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// A database that does not exist yet (or exists empty), on the test run's PostgreSQL, for the tests that must watch
/// a database being created and migrated from nothing. Dropped on dispose.
/// </summary>
public sealed class EmptyDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private EmptyDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The owner's connection string to this database.</summary>
    public string ConnectionString { get; }

    /// <summary>A name only: the database is left for the code under test to create.</summary>
    public static EmptyDatabase Named(string serverConnectionString)
        => new(serverConnectionString, "empty_" + Guid.NewGuid().ToString("N")[..16]);

    public static async Task<EmptyDatabase> CreateAsync(string serverConnectionString)
    {
        var database = Named(serverConnectionString);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync() => await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");

    private async Task ExecuteOnServerAsync(string sql)
    {
        var server = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
