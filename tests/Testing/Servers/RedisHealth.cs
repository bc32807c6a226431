using System.Net.Sockets;
using System.Text;

namespace SaasAssistants.Testing.Servers;

/// <summary>Healthy = answers PING with PONG (after AUTH, when a password is given).</summary>
public static class RedisHealth
{
    public static async Task<bool> PingAsync(string host, int port, string? password, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var commands = (password is null ? string.Empty : $"AUTH {password}\r\n") + "PING\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(commands), timeout.Token).ConfigureAwait(false);

            // One reply line per command; the last one must be +PONG (-LOADING while it reads its data back).
            var expectedLines = password is null ? 1 : 2;
            var buffer = new byte[512];
            var received = new StringBuilder();
            while (received.ToString().Split("\r\n").Length - 1 < expectedLines)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return received.ToString().Contains("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
