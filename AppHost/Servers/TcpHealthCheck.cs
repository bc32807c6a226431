using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SaasAssistants.AppHost.Servers;

/// <summary>
/// Healthy = the port on 127.0.0.1 accepts a connection and answers the request, with a reply that starts with the
/// expected text when one is given (Redis: PING → +PONG; -LOADING while it reads its data back). No client library
/// needed for that; and a real request, because a bare connect-and-close makes some servers log an error each time.
/// </summary>
internal sealed class TcpHealthCheck(int port, byte[] request, string? expectedReply = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(request, timeout.Token);
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return read > 0 && reply.StartsWith(expectedReply ?? string.Empty, StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"replied {reply.Trim()}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }

    /// <summary>Redis: PING, answered +PONG once the data is loaded.</summary>
    public static TcpHealthCheck RedisPing(int port) => new(port, Encoding.ASCII.GetBytes("PING\r\n"), "+PONG");

    /// <summary>Erlang's port mapper: a NAMES request (length 1, code 'n'), answered with its port and the registered nodes.</summary>
    public static TcpHealthCheck EpmdNames(int port) => new(port, [0, 1, (byte)'n']);
}
