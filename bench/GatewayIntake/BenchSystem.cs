using System.Security.Cryptography;
using Npgsql;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>
/// PostgreSQL (fsync on unless asked), Redis and RabbitMQ of the benchmark's own, started with tests/Testing's servers
/// on free ports in one temporary folder, a database set up by <see cref="DatabaseSetup"/> and one tenant with a
/// WhatsApp channel (provider meta) answered by an assistant whose reply buffer is off, so a pipeline run replies to
/// every message. Disposing stops the servers (by pid) and deletes the folder.
/// </summary>
public sealed class BenchSystem : IAsyncDisposable
{
    public const string DatabaseName = BenchPostgres.DatabaseName;
    public const string AppRole = BenchPostgres.AppRole;

    private BenchSystem(string folder, PostgresServer postgres, RedisServer redis, RabbitMQServer rabbitMQ, string appRolePassword)
    {
        Folder = folder;
        Postgres = postgres;
        Redis = redis;
        RabbitMQ = rabbitMQ;
        AppRolePassword = appRolePassword;
    }

    public string Folder { get; }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    public RabbitMQServer RabbitMQ { get; }

    public string AppRolePassword { get; }

    public string EncryptionKey { get; } = TestSecrets.EncryptionKey();

    public Guid TenantId { get; } = Guid.CreateVersion7();

    public string ChannelKey { get; } = "wa_bench" + Guid.NewGuid().ToString("N")[..12];

    public string PhoneNumberId { get; } = "1065" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999);

    public string AppSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string OwnerConnectionString => Postgres.GetConnectionString(DatabaseName);

    public string AppConnectionString => new NpgsqlConnectionStringBuilder(OwnerConnectionString) { Username = AppRole, Password = AppRolePassword }.ConnectionString;

    public static async Task<BenchSystem> StartAsync(bool durable, CancellationToken cancellationToken)
    {
        var folder = BenchPostgres.CreateFolder("saas-gateway-bench-");
        var postgres = BenchPostgres.Create(folder, durable);
        var redis = new RedisServer(new RedisServerOptions(Path.Combine(folder, "redis"), PortAvailability.GetFreePort()) { Durable = false });
        var rabbitMQ = new RabbitMQServer(new RabbitMQServerOptions(Path.Combine(folder, "rabbitmq"), PortAvailability.GetFreePort(),
            PortAvailability.GetFreePort(), PortAvailability.GetFreePort()));
        var system = new BenchSystem(folder, postgres, redis, rabbitMQ, TestSecrets.RandomUrlSafe(24));
        try
        {
            var timeout = TimeSpan.FromSeconds(120);
            await Task.WhenAll(postgres.StartAsync(timeout, cancellationToken), redis.StartAsync(timeout, cancellationToken),
                rabbitMQ.StartAsync(timeout, cancellationToken));
            await BenchPostgres.SetUpAsync(postgres, system.AppRolePassword, cancellationToken);
            await system.InsertChannelAsync(cancellationToken);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task InsertChannelAsync(CancellationToken cancellationToken)
    {
        var protector = new SecretProtector(EncryptionKey);
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO tenants (id, name, plan) VALUES (@tenant, 'Bench', 'enterprise');
            INSERT INTO workspaces (id, tenant_id, name) VALUES (@workspace, @tenant, 'Main');
            INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt, buffer_timeout_ms)
                VALUES (@assistant, @tenant, @workspace, 'Bench', 'You answer briefly.', 0);
            INSERT INTO channels (id, tenant_id, workspace_id, type, name, public_token, external_id, secret_encrypted,
                                  provider, verify_token_encrypted, access_token_encrypted, assistant_id)
                VALUES (@channel, @tenant, @workspace, 'whatsapp', 'WhatsApp', @key, @phone, @secret, 'meta', @verify, @access, @assistant);
            """, connection);
        command.Parameters.AddWithValue("tenant", TenantId);
        command.Parameters.AddWithValue("workspace", Guid.CreateVersion7());
        command.Parameters.AddWithValue("assistant", Guid.CreateVersion7());
        command.Parameters.AddWithValue("channel", Guid.CreateVersion7());
        command.Parameters.AddWithValue("key", ChannelKey);
        command.Parameters.AddWithValue("phone", PhoneNumberId);
        command.Parameters.AddWithValue("secret", protector.Protect(AppSecret));
        command.Parameters.AddWithValue("verify", protector.Protect("bench-verify"));
        command.Parameters.AddWithValue("access", protector.Protect("EAAGbench"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Task.WhenAll(Postgres.StopAsync(), Redis.StopAsync(), RabbitMQ.StopAsync());
        Directory.Delete(Folder, recursive: true);
    }
}
