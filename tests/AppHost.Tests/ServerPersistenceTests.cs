using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using SaasAssistants.AppHost.Hosting.Servers;
using SaasAssistants.AppHost.Tests.Support;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>The state folder is the data: what a server wrote is there after it is stopped and started again.</summary>
public sealed class ServerPersistenceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TestFolder folder = new();

    [Fact]
    public async Task Postgres_data_survives_a_restart()
    {
        var options = new PostgresServerOptions(folder["postgres"], PortAvailability.GetFreePort(), "secret-1");
        await using (var server = new PostgresServer(options))
        {
            await server.StartAsync(Timeout);
            await ExecuteAsync(server.GetConnectionString(), "CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)");
        }

        await using (var server = new PostgresServer(options with { Port = PortAvailability.GetFreePort() }))
        {
            await server.StartAsync(Timeout);
            await using var connection = new NpgsqlConnection(server.GetConnectionString());
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT value FROM kept", connection);
            Assert.Equal(42, await query.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Postgres_requires_the_password_over_tcp()
    {
        var options = new PostgresServerOptions(folder["postgres"], PortAvailability.GetFreePort(), "the-right-one");
        await using var server = new PostgresServer(options);
        await server.StartAsync(Timeout);

        var wrong = new NpgsqlConnectionStringBuilder(server.GetConnectionString()) { Password = "wrong", Pooling = false }.ConnectionString;
        var error = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(wrong);
            await connection.OpenAsync();
        });
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
    }

    [Fact]
    public async Task Redis_data_survives_a_restart()
    {
        var options = new RedisServerOptions(folder["redis"], PortAvailability.GetFreePort());
        await using (var server = new RedisServer(options))
        {
            await server.StartAsync(Timeout);
            Assert.StartsWith("+OK", await RedisCommands.SendAsync(server.Port, "SET kept-key kept-value"));
        }

        await using (var server = new RedisServer(options with { Port = PortAvailability.GetFreePort() }))
        {
            await server.StartAsync(Timeout);
            Assert.Contains("kept-value", await RedisCommands.SendAsync(server.Port, "GET kept-key"));
        }
    }

    [Fact]
    public async Task RabbitMQ_durable_queue_survives_a_restart()
    {
        var options = new RabbitMQServerOptions(folder["rabbitmq"], PortAvailability.GetFreePort(), PortAvailability.GetFreePort(), PortAvailability.GetFreePort())
        {
            ManagementPort = PortAvailability.GetFreePort(),
        };
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));

        await using (var server = new RabbitMQServer(options))
        {
            await server.StartAsync(Timeout);
            using var body = new StringContent("""{"durable":true}""", Encoding.UTF8, "application/json");
            using var created = await http.PutAsync($"{server.ManagementUrl}/api/queues/%2F/kept-queue", body);
            Assert.True(created.IsSuccessStatusCode, $"creating the queue: {created.StatusCode}");
        }

        await using (var server = new RabbitMQServer(options))
        {
            await server.StartAsync(Timeout);
            using var found = await http.GetAsync($"{server.ManagementUrl}/api/queues/%2F/kept-queue");
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        }
    }

    public void Dispose() => folder.Dispose();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
