using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// A TCP proxy in front of a real server that can be told to stall: bytes from clients are then held back, so the
/// server looks connected but never answers (a Redis under a long command, or a network black hole).
/// </summary>
public sealed class StallingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private volatile bool _stalled;

    public StallingTcpProxy(string upstream)
    {
        var colon = upstream.LastIndexOf(':');
        (_upstreamHost, _upstreamPort) = (upstream[..colon], int.Parse(upstream[(colon + 1)..]));
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Stall() => _stalled = true;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            var server = new TcpClient();
            await server.ConnectAsync(_upstreamHost, _upstreamPort);
            _ = PumpAsync(client.GetStream(), server.GetStream(), holdWhenStalled: true);
            _ = PumpAsync(server.GetStream(), client.GetStream(), holdWhenStalled: false);
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool holdWhenStalled)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                // Held bytes are simply never sent: the caller waits for an answer that does not come.
                if (holdWhenStalled && _stalled)
                {
                    continue;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
