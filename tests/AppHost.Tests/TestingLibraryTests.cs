using System.Diagnostics;
using Npgsql;
using SaasAssistants.AppHost.Tests.Support;
using SaasAssistants.Testing;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.AppHost.Tests;

/// <summary>tests/Testing: the shared servers and the per-class database.</summary>
public sealed class TestingLibraryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TestServers_start_postgres_and_redis_once_for_the_whole_run()
    {
        var stopwatch = Stopwatch.StartNew();
        var postgres = TestServers.Shared.GetPostgresAsync();
        var redis = TestServers.Shared.GetRedisAsync();
        await Task.WhenAll(postgres, redis);
        output.WriteLine($"PostgreSQL + Redis ready in {stopwatch.Elapsed.TotalSeconds:0.00}s (0 if an earlier test started them)");

        Assert.Same(await postgres, await TestServers.Shared.GetPostgresAsync());
        Assert.StartsWith("+PONG", await RedisCommands.SendAsync((await redis).Port, "PING"));
    }

    [Fact]
    public async Task TestServers_start_rabbitmq_on_request()
    {
        var stopwatch = Stopwatch.StartNew();
        var connectionString = await TestServers.Shared.GetRabbitMQConnectionStringAsync();
        output.WriteLine($"RabbitMQ ready in {stopwatch.Elapsed.TotalSeconds:0.00}s");

        Assert.StartsWith("amqp://guest:guest@localhost:", connectionString);
    }

    [Fact]
    public async Task TestDatabase_is_set_up_for_the_app_role_and_dropped_on_dispose()
    {
        string name;
        await using (var database = await TestDatabase.CreateAsync(seed: true))
        {
            name = database.Name;
            Assert.NotNull(database.Seed);
            await using var connection = new NpgsqlConnection(database.AppConnectionString);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT current_user, (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)", connection);
            await using var reader = await query.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal("saas_app", reader.GetString(0));
            Assert.False(reader.GetBoolean(1), "the app role must be subject to row level security");
        }

        await using var owner = new NpgsqlConnection(await TestServers.Shared.GetPostgresConnectionStringAsync());
        await owner.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", owner);
        exists.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }
}
