using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SaasAssistants.Database.ApiKeys;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Migrations;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// DatabaseSetup and the development seed on databases of their own. Each test uses a role of its own as well: roles
/// belong to the whole server, and changing the shared app role's password would lock the other test classes out.
/// </summary>
public class DatabaseSetupTests : IAsyncLifetime
{
    private readonly string _role = "app_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _encryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string _server = null!;
    private EmptyDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServers.Shared.GetPostgresConnectionStringAsync();
        _database = EmptyDatabase.Named(_server);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{_role}\"", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private DatabaseSetupOptions Options(SeedOptions? seed = null, string password = "first-password")
        => new() { AppRoleName = _role, AppRolePassword = password, Seed = seed };

    private SeedOptions Seed(string? apiKey = null, string? channelToken = null)
        => new() { ApiKey = apiKey, WebChannelToken = channelToken, EncryptionKey = _encryptionKey };

    private Task<SeedResult?> RunAsync(DatabaseSetupOptions options)
        => DatabaseSetup.RunAsync(_database.ConnectionString, options, NullLogger.Instance, CancellationToken.None);

    [Fact]
    public async Task Creates_the_database_and_an_app_role_under_row_level_security()
    {
        var result = await RunAsync(Options());

        Assert.Null(result);
        Assert.Equal(new EmbeddedMigrationSource().Load().Count, await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_roles WHERE rolname = '{_role}' AND rolcanlogin AND NOT rolsuper AND NOT rolbypassrls AND NOT rolcreatedb AND NOT rolcreaterole"));
        Assert.True(await _database.ScalarAsync<bool>($"SELECT has_table_privilege('{_role}', 'outbox_messages', 'SELECT, INSERT, UPDATE, DELETE')"));
        Assert.False(await _database.ScalarAsync<bool>($"SELECT has_table_privilege('{_role}', 'schema_migrations', 'SELECT')"));
        Assert.True(await _database.ScalarAsync<bool>($"SELECT has_function_privilege('{_role}', 'outbox_lease(integer, interval)', 'EXECUTE')"));
        Assert.False(await _database.ScalarAsync<bool>("SELECT has_function_privilege('public', 'resolve_api_key(text)', 'EXECUTE')"));
        Assert.True(await _database.ScalarAsync<bool>($"SELECT has_database_privilege('{_role}', current_database(), 'CONNECT')"));
    }

    [Fact]
    public async Task Tables_created_by_later_migrations_are_granted_too()
    {
        await RunAsync(Options());

        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE later_table (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        Assert.True(await _database.ScalarAsync<bool>($"SELECT has_table_privilege('{_role}', 'later_table', 'SELECT, INSERT, UPDATE, DELETE')"));
    }

    [Fact]
    public async Task Running_setup_again_or_concurrently_is_harmless()
    {
        var runs = await Task.WhenAll(RunAsync(Options(Seed("sa_0badcafe_concurrentconcurrentconcurrent1"))),
            RunAsync(Options(Seed("sa_0badcafe_concurrentconcurrentconcurrent1"))));
        var again = await RunAsync(Options(Seed("sa_0badcafe_concurrentconcurrentconcurrent1")));

        Assert.Equal(runs[0], runs[1]);
        Assert.Equal(runs[0], again);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM tenants"));
    }

    [Fact]
    public async Task Seeding_twice_changes_nothing_and_returns_the_same_result()
    {
        var options = Options(Seed(ApiKeyFormat.Generate()));
        var first = await RunAsync(options);
        var before = await SnapshotAsync();

        var second = await RunAsync(options);

        Assert.Equal(first, second);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task The_seed_is_a_working_demo_tenant()
    {
        var seed = Seed(ApiKeyFormat.Generate());
        var result = (await RunAsync(Options(seed)))!;

        Assert.Equal(seed.ApiKey, result.ApiKey);
        Assert.Matches("^wc_[A-Za-z0-9_-]{24}$", result.WebChannelToken);
        Assert.Equal(("Demo Company", "pro"), (await _database.ScalarAsync<string>($"SELECT name FROM tenants WHERE id = '{result.TenantId}'"),
            await _database.ScalarAsync<string>($"SELECT plan FROM tenants WHERE id = '{result.TenantId}'")));
        Assert.Equal("Olá! Sou o assistente da Demo Company. Como posso ajudar?",
            await _database.ScalarAsync<string>("SELECT a.greeting FROM channels c JOIN assistants a ON a.id = c.assistant_id WHERE c.public_token = '" + result.WebChannelToken + "'"));
        Assert.Equal("pt-BR", await _database.ScalarAsync<string>(
            "SELECT a.provider_settings->>'language' FROM channels c JOIN assistants a ON a.id = c.assistant_id WHERE c.public_token = '" + result.WebChannelToken + "'"));

        await using var app = await ConnectAsAppAsync("first-password");
        var (tenantId, secret) = await ResolveChannelAsync(app, result.WebChannelToken);
        Assert.Equal(result.TenantId, tenantId);
        Assert.Equal(32, Convert.FromBase64String(new SecretProtector(_encryptionKey).Unprotect(secret)).Length);

        Assert.True(await ApiKeyResolvesAsync(app, result.ApiKey));
        var passwordHash = await _database.ScalarAsync<string>($"SELECT password_hash FROM users WHERE email = '{result.AgentEmail}'");
        Assert.NotEqual(PasswordVerificationResult.Failed,
            new PasswordHasher<User>().VerifyHashedPassword(null!, passwordHash, result.AgentPassword));
    }

    [Fact]
    public async Task A_new_Seed_ApiKey_and_channel_token_replace_the_stored_ones()
    {
        var firstKey = ApiKeyFormat.Generate();
        var secondKey = ApiKeyFormat.Generate();
        var first = (await RunAsync(Options(Seed(firstKey, "wc_first_token_aaaaaaaaaaaaa"))))!;

        var second = (await RunAsync(Options(Seed(secondKey, "wc_second_token_bbbbbbbbbbbb"))))!;

        Assert.Equal(first.TenantId, second.TenantId);
        Assert.Equal(secondKey, second.ApiKey);
        Assert.Equal("wc_second_token_bbbbbbbbbbbb", second.WebChannelToken);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM api_keys"));
        await using var app = await ConnectAsAppAsync("first-password");
        Assert.True(await ApiKeyResolvesAsync(app, secondKey));
        Assert.False(await ApiKeyResolvesAsync(app, firstKey));
        Assert.Equal(second.TenantId, (await ResolveChannelAsync(app, "wc_second_token_bbbbbbbbbbbb")).TenantId);
    }

    [Fact]
    public async Task A_generated_api_key_is_returned_only_by_the_run_that_created_it()
    {
        var first = (await RunAsync(Options(Seed())))!;
        var second = (await RunAsync(Options(Seed())))!;

        Assert.True(ApiKeyFormat.TryGetPrefix(first.ApiKey, out _));
        Assert.Equal(string.Empty, second.ApiKey);
        Assert.Equal(first.WebChannelToken, second.WebChannelToken);
        await using var app = await ConnectAsAppAsync("first-password");
        Assert.True(await ApiKeyResolvesAsync(app, first.ApiKey));
    }

    [Fact]
    public async Task The_app_role_password_is_set_on_every_run()
    {
        await RunAsync(Options(password: "first-password"));
        await RunAsync(Options(password: "second-password"));

        // The test server authenticates TCP logins with scram-sha-256, so the old password must now fail.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ConnectAsAppAsync("first-password"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        await using var app = await ConnectAsAppAsync("second-password");
        Assert.Equal(_role, await ScalarAsync<string>(app, "SELECT current_user"));
    }

    private async Task<NpgsqlConnection> ConnectAsAppAsync(string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Username = _role, Password = password };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<(Guid TenantId, byte[] Secret)> ResolveChannelAsync(NpgsqlConnection app, string token)
    {
        await using var command = new NpgsqlCommand("SELECT tenant_id, secret_encrypted FROM resolve_channel($1)", app);
        command.Parameters.Add(new NpgsqlParameter { Value = token });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"channel {token} not found");
        return (reader.GetGuid(0), reader.GetFieldValue<byte[]>(1));
    }

    /// <summary>The PublicApi's check: find the row by prefix, compare the hash.</summary>
    private static async Task<bool> ApiKeyResolvesAsync(NpgsqlConnection app, string key)
    {
        Assert.True(ApiKeyFormat.TryGetPrefix(key, out var prefix));
        await using var command = new NpgsqlCommand("SELECT key_hash FROM resolve_api_key($1)", app);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        return await command.ExecuteScalarAsync() is byte[] hash && ApiKeyFormat.Matches(key, hash);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every seeded row, as text: equal snapshots mean nothing was changed.</summary>
    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var table in new[] { "tenants", "workspaces", "assistants", "channels", "users", "api_keys" })
        {
            parts.Add(await _database.ScalarAsync<string>($"SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '') FROM {table} t"));
        }

        return string.Join("\n", parts);
    }
}
