using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// A minimal SignalR client (JSON hub protocol over a WebSocket of the in-memory server), because the .NET SignalR client
/// package is not available here. It speaks what the page's signalr.min.js speaks: handshake, invocations, pushes.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly List<JsonElement> _received = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _lastInvocationId;

    private HubTestClient(WebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveAsync();
    }

    /// <summary>Connects as the browser with <paramref name="cookieHeader"/> would (WebSockets, negotiation skipped).</summary>
    public static async Task<HubTestClient> ConnectAsync(WebAppFactory factory, string cookieHeader)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Cookie = cookieHeader;
        var _socket = await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "hubs/conversations"), CancellationToken.None);
        var hub = new HubTestClient(_socket);
        await hub.SendAsync(new { protocol = "json", version = 1 });
        var handshake = await hub.WaitForAsync(message => !message.TryGetProperty("type", out _), DefaultTimeout);
        if (handshake.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Hub handshake failed: {error}");
        }

        return hub;
    }

    /// <summary>Calls a hub method; returns the completion's error, or null when it succeeded.</summary>
    public async Task<string?> InvokeAsync(string target, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _lastInvocationId).ToString();
        await SendAsync(new { type = 1, invocationId = id, target, arguments });
        var completion = await WaitForAsync(m => Type(m) == 3 && m.GetProperty("invocationId").GetString() == id, DefaultTimeout);
        return completion.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    /// <summary>Waits for a push of <paramref name="target"/> whose first argument matches.</summary>
    public Task<JsonElement> WaitForPushAsync(string target, Func<JsonElement, bool> matches, TimeSpan timeout)
        => WaitForAsync(m => Type(m) == 1 && m.GetProperty("target").GetString() == target && matches(m.GetProperty("arguments")[0]), timeout)
            .ContinueWith(t => t.Result.GetProperty("arguments")[0], TaskScheduler.Default);

    /// <summary>Every push received so far (first argument), by target.</summary>
    public IReadOnlyList<(string Target, JsonElement Argument)> Pushes()
    {
        lock (_received)
        {
            return _received.Where(m => Type(m) == 1).Select(m => (m.GetProperty("target").GetString()!, m.GetProperty("arguments")[0])).ToList();
        }
    }

    /// <summary>Waits until the server ends the connection (its Close message, or the socket closing); false on timeout.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_received)
            {
                if (_received.Any(m => Type(m) == 7))
                {
                    return true;
                }
            }
            if (_receiving.IsCompleted)
            {
                return true;
            }

            await Task.Delay(20);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            // Already closed by the server.
        }
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    private static int Type(JsonElement message) => message.TryGetProperty("type", out var type) ? type.GetInt32() : 0;

    private async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> matches, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_received)
            {
                var index = _received.FindIndex(m => matches(m));
                if (index >= 0)
                {
                    var found = _received[index];
                    // Handshake and completions are consumed; pushes stay visible to Pushes().
                    if (Type(found) != 1)
                    {
                        _received.RemoveAt(index);
                    }

                    return found;
                }
            }
            if (_receiving.IsCompleted)
            {
                throw new InvalidOperationException("The hub connection closed.", _receiving.Exception);
            }

            await Task.Delay(20);
        }
        throw new TimeoutException("The hub did not send the expected message in time.");
    }

    private Task SendAsync(object message)
        => _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message) + RecordSeparator), WebSocketMessageType.Text, true, _stop.Token);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        while (!_stop.IsCancellationRequested)
        {
            var result = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (!result.EndOfMessage)
            {
                continue;
            }

            var frames = text.ToString().Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries);
            text.Clear();
            lock (_received)
            {
                _received.AddRange(frames.Select(frame => JsonDocument.Parse(frame).RootElement).Where(m => Type(m) != 6)); // 6: ping
            }
        }
    }
}
