using System.Net.Http.Headers;
using System.Net.Http.Json;
using SaasAssistants.Testing;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>
/// A virtual host of its own on the test run's RabbitMQ: the engine's durable queue (tasks-queued) has a fixed name,
/// and in a shared vhost another test's worker process would consume this test's wake-ups.
/// </summary>
public sealed class RabbitMQVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    private RabbitMQVirtualHost(HttpClient management, string name, string connectionString)
    {
        _management = management;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary><c>amqp://guest:guest@localhost:port/{vhost}</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<RabbitMQVirtualHost> CreateAsync()
    {
        var server = await TestServers.Shared.GetRabbitMQAsync();
        var management = new HttpClient { BaseAddress = new Uri(server.ManagementUrl ?? throw new InvalidOperationException("The test RabbitMQ has no management API.")) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8));
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        (await management.PutAsync($"/api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"/api/permissions/{name}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new RabbitMQVirtualHost(management, name, $"{server.ConnectionString}/{name}");
    }

    /// <summary>Waits until a queue of this vhost has a consumer: messages published before it is bound would be dropped.</summary>
    public async Task WaitForConsumerAsync(string queue, TimeSpan timeout)
    {
        await Wait.UntilAsync(async () =>
        {
            using var response = await _management.GetAsync($"/api/queues/{Name}/{queue}");
            return response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).TryGetProperty("consumers", out var consumers)
                && consumers.GetInt32() > 0;
        }, timeout, $"a consumer on queue {queue}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _management.DeleteAsync($"/api/vhosts/{Name}");
        }
        finally
        {
            _management.Dispose();
        }
    }
}
