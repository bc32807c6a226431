using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;

namespace SaasAssistants.Testing;

/// <summary>
/// A virtual host of its own on the test run's RabbitMQ, for one test class (as <see cref="TestDatabase"/> is a
/// database of its own). The services' exchange and durable queues have fixed names (saas.events,
/// message-processor.inbound-messages, tasks-queued, their dead-letter queues): in a shared vhost, events published by
/// another class's services land in this class's queues and are consumed by its worker, or dead-lettered by it when
/// their tenant is not in its database. Created through the management API; deleted, with everything in it, on dispose.
/// </summary>
[SupportedOSPlatform("linux")]
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
        var server = await TestServers.Shared.GetRabbitMQAsync().ConfigureAwait(false);
        var management = new HttpClient { BaseAddress = new Uri(server.ManagementUrl ?? throw new InvalidOperationException("The test RabbitMQ has no management API.")) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8));
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        (await management.PutAsync($"/api/vhosts/{name}", null).ConfigureAwait(false)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"/api/permissions/{name}/guest", new { configure = ".*", write = ".*", read = ".*" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
        return new RabbitMQVirtualHost(management, name, $"{server.ConnectionString}/{name}");
    }

    /// <summary>Waits until a queue of this vhost has a consumer: messages published before it is bound would be dropped.</summary>
    public async Task WaitForConsumerAsync(string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await HasConsumerAsync(queue).ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for a consumer on queue {queue}.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _management.DeleteAsync($"/api/vhosts/{Name}").ConfigureAwait(false);
        }
        finally
        {
            _management.Dispose();
        }
    }

    private async Task<bool> HasConsumerAsync(string queue)
    {
        using var response = await _management.GetAsync($"/api/queues/{Name}/{queue}").ConfigureAwait(false);
        return response.IsSuccessStatusCode
            && (await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false)).TryGetProperty("consumers", out var consumers)
            && consumers.GetInt32() > 0;
    }
}
