using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// A TCP proxy in front of a real server that can be told to stall: bytes from clients are then held back, so the
/// server looks connected but never answers (a Redis under a long command, or a network black hole).
/// </summary>
public sealed class StallingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly string upstreamHost;
    private readonly int upstreamPort;
    private volatile bool stalled;

    public StallingTcpProxy(string upstream)
    {
        var colon = upstream.LastIndexOf(':');
        (upstreamHost, upstreamPort) = (upstream[..colon], int.Parse(upstream[(colon + 1)..]));
        listener.Start();
        _ = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    public void Stall() => stalled = true;

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            var server = new TcpClient();
            await server.ConnectAsync(upstreamHost, upstreamPort);
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
                var read = await from.ReadAsync(buffer, stop.Token);
                if (read == 0)
                    return;
                // Held bytes are simply never sent: the caller waits for an answer that does not come.
                if (holdWhenStalled && stalled)
                    continue;
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        return ValueTask.CompletedTask;
    }
}
