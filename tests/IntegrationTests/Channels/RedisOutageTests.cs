using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// Redis that accepts connections and never answers (a hung server, the worst case): webhook intake still answers
/// within its budget, because the rate limiter gives up on Redis after a short timeout and lets the request through.
/// </summary>
public sealed class RedisOutageTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly TcpListener _blackHole = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private GatewayFactory _gateway = null!;
    private MetaChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _blackHole.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _blackHole.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                lock (_held)
                {
                    _held.Add(client);
                }
            }
        });
        var port = ((IPEndPoint)_blackHole.LocalEndpoint).Port;
        _gateway = new GatewayFactory(database, $"127.0.0.1:{port}", await TestServers.Shared.GetRabbitMQConnectionStringAsync())
        {
            // The production budget (the factory raises it for the tests that count requests).
            Settings = { ["RateLimits:RedisTimeout"] = "00:00:00.100" },
        };
        _channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _stop.CancelAsync();
        _blackHole.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_hung_redis_does_not_hold_webhooks_beyond_the_limiters_short_timeout()
    {
        var http = _gateway.CreateClient();
        // Warm-up without Redis: an unsigned delivery is refused (and audited) before the rate limit, so the measured
        // requests below do not pay for the first database connection and EF's model.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync($"/v1/webhooks/whatsapp/{_channel.ChannelKey}", new StringContent("{}"))).StatusCode);
        var elapsed = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var body = WhatsAppPayloads.Delivery(_channel.ExternalId, $"\"messages\":[{WhatsAppPayloads.Text("5511900002222", WhatsAppPayloads.NewWamid(), "oi")}]");
            var bytes = Encoding.UTF8.GetBytes(body);
            var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{_channel.ChannelKey}") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Hub-Signature-256", _channel.Sign(bytes));
            var watch = Stopwatch.StartNew();
            var response = await http.SendAsync(request);
            elapsed.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Not a speed figure: without the limiter's own 100 ms timeout each request would wait for Redis's (5 s). The bound
        // sits below that, far enough above 100 ms for a loaded machine.
        Assert.True(elapsed.All(e => e < TimeSpan.FromSeconds(4)), $"intake took {string.Join(", ", elapsed.Select(e => $"{e.TotalMilliseconds:0} ms"))}");
    }
}
