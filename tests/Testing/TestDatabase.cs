using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SaasAssistants.Database.Setup;
using Xunit;

namespace SaasAssistants.Testing;

/// <summary>
/// A fresh database for one test class on the shared <see cref="TestServers"/> PostgreSQL: created as <c>t_{random}</c>,
/// set up with <see cref="DatabaseSetup.RunAsync"/> (migrations, the saas_app role and grants, optionally the seed),
/// dropped on dispose. Use as <c>IClassFixture&lt;TestDatabase&gt;</c> (or <see cref="SeededTestDatabase"/>), or
/// <c>await using var db = await TestDatabase.CreateAsync()</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public class TestDatabase : IAsyncLifetime, IAsyncDisposable
{
    private readonly bool _seed;
    private string? _ownerConnectionString;
    private string? _appConnectionString;

    public TestDatabase()
        : this(seed: false)
    {
    }

    protected TestDatabase(bool seed)
    {
        _seed = seed;
        Name = "t_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    }

    public string Name { get; }

    /// <summary>The owner (superuser): bypasses row level security. For arranging and inspecting data.</summary>
    public string OwnerConnectionString => _ownerConnectionString ?? throw NotInitialized();

    /// <summary>The services' role (saas_app), under row level security: what the services would use.</summary>
    public string AppConnectionString => _appConnectionString ?? throw NotInitialized();

    /// <summary>The demo tenant and its credentials, when created seeded.</summary>
    public SeedResult? Seed { get; private set; }

    /// <summary>The key the seed encrypted the demo channel's secret with (Secrets:EncryptionKey for services under test).</summary>
    public string EncryptionKey => TestServers.Shared.EncryptionKey;

    public static async Task<TestDatabase> CreateAsync(bool _seed = false)
    {
        var database = new TestDatabase(_seed);
        await database.InitializeAsync().ConfigureAwait(false);
        return database;
    }

    public async Task InitializeAsync()
    {
        var servers = TestServers.Shared;
        var server = await servers.GetPostgresAsync().ConfigureAwait(false);
        await using (var connection = new NpgsqlConnection(server.GetConnectionString()))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        _ownerConnectionString = server.GetConnectionString(Name);
        var options = new DatabaseSetupOptions
        {
            AppRoleName = servers.AppRoleName,
            AppRolePassword = servers.AppRolePassword,
            Seed = _seed ? new SeedOptions { EncryptionKey = servers.EncryptionKey } : null,
        };
        Seed = await DatabaseSetup.RunAsync(_ownerConnectionString, options, NullLogger.Instance, CancellationToken.None).ConfigureAwait(false);
        _appConnectionString = new NpgsqlConnectionStringBuilder(_ownerConnectionString)
        {
            Username = servers.AppRoleName,
            Password = servers.AppRolePassword,
        }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_ownerConnectionString is null)
        {
            return;
        }

        // Pooled idle connections of the test would keep the database open; FORCE ends them, clearing avoids reusing them.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(OwnerConnectionString));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(AppConnectionString));
        var server = await TestServers.Shared.GetPostgresAsync().ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(server.GetConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private static InvalidOperationException NotInitialized() =>
        new("The test database is not created yet: use it as a class fixture, or create it with TestDatabase.CreateAsync().");
}
