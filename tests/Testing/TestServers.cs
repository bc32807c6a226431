using System.Runtime.Versioning;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Testing;

/// <summary>
/// One PostgreSQL, one Redis and one RabbitMQ for the whole test run (this process), each started on first request,
/// on free ports, in a temporary folder, as plain child processes (tests/Testing/Servers), with fsync off. Requests for different servers start
/// them in parallel. They stop when the process exits: on ProcessExit, or — when the test platform kills its test
/// host, as vstest does — by the kernel's parent-death signal; the folder is then deleted by the next run.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TestServers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Lazy<Task<PostgresServer>> _postgres;
    private readonly Lazy<Task<RedisServer>> _redis;
    private readonly Lazy<Task<RabbitMQServer>> _rabbitMQ;

    private TestServers()
    {
        TemporaryFolders.DeleteLeftovers();
        Directory = TemporaryFolders.Create("saas-testing-servers");
        _postgres = new Lazy<Task<PostgresServer>>(StartPostgresAsync);
        _redis = new Lazy<Task<RedisServer>>(() => StartAsync(new RedisServer(
            new RedisServerOptions(Path.Combine(Directory, "redis"), PortAvailability.GetFreePort()) { Durable = false })));
        _rabbitMQ = new Lazy<Task<RabbitMQServer>>(() => StartAsync(new RabbitMQServer(
            new RabbitMQServerOptions(Path.Combine(Directory, "rabbitmq"), PortAvailability.GetFreePort(), PortAvailability.GetFreePort(), PortAvailability.GetFreePort())
            {
                ManagementPort = PortAvailability.GetFreePort(),
            })));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
    }

    /// <summary>The test run's servers (nothing starts until a server is asked for).</summary>
    public static TestServers Shared { get; } = new();

    /// <summary>The temporary folder holding all three servers' data.</summary>
    public string Directory { get; }

    /// <summary>The services' role, as in production: created by DatabaseSetup in every test database.</summary>
    public string AppRoleName { get; } = "saas_app";

    /// <summary>One password for the role in every test database (roles belong to the server, not to a database).</summary>
    public string AppRolePassword { get; } = TestSecrets.RandomUrlSafe(24);

    /// <summary>The key for channel secrets at rest (Secrets:EncryptionKey) used by seeds in test databases.</summary>
    public string EncryptionKey { get; } = TestSecrets.EncryptionKey();

    public Task<PostgresServer> GetPostgresAsync() => _postgres.Value;

    public Task<RedisServer> GetRedisAsync() => _redis.Value;

    public Task<RabbitMQServer> GetRabbitMQAsync() => _rabbitMQ.Value;

    /// <summary>The superuser's connection string (owner of everything).</summary>
    public async Task<string> GetPostgresConnectionStringAsync(string database = "postgres") =>
        (await GetPostgresAsync().ConfigureAwait(false)).GetConnectionString(database);

    /// <summary><c>127.0.0.1:port</c>, as StackExchange.Redis takes it.</summary>
    public async Task<string> GetRedisConnectionStringAsync() => (await GetRedisAsync().ConfigureAwait(false)).ConnectionString;

    /// <summary><c>amqp://guest:guest@localhost:port</c>.</summary>
    public async Task<string> GetRabbitMQConnectionStringAsync() => (await GetRabbitMQAsync().ConfigureAwait(false)).ConnectionString;

    private async Task<PostgresServer> StartPostgresAsync()
    {
        var folder = Path.Combine(Directory, "postgres");
        var password = await PostgresTemplate.CopyToAsync(folder).ConfigureAwait(false);
        return await StartAsync(new PostgresServer(new PostgresServerOptions(folder, PortAvailability.GetFreePort(), password) { Durable = false })).ConfigureAwait(false);
    }

    private static async Task<T> StartAsync<T>(T server)
        where T : LocalServer
    {
        await server.StartAsync(StartTimeout).ConfigureAwait(false);
        return server;
    }

    private void StopAll()
    {
        // PostgreSQL and Redis stop cleanly in well under a second; RabbitMQ's clean stop takes seconds and its
        // data is thrown away anyway, so it gets SIGKILL.
        var stops = new List<Task>();
        if (_postgres.IsValueCreated && _postgres.Value.IsCompletedSuccessfully)
        {
            stops.Add(_postgres.Value.Result.StopAsync(graceful: true));
        }

        if (_redis.IsValueCreated && _redis.Value.IsCompletedSuccessfully)
        {
            stops.Add(_redis.Value.Result.StopAsync(graceful: true));
        }

        if (_rabbitMQ.IsValueCreated && _rabbitMQ.Value.IsCompletedSuccessfully)
        {
            stops.Add(_rabbitMQ.Value.Result.StopAsync(graceful: false));
        }

        Task.WhenAll(stops).Wait(TimeSpan.FromSeconds(15));
        TemporaryFolders.Delete(Directory);
    }
}
