using System.Net.Sockets;
using System.Text;

namespace SaasAssistants.AppHost.Tests.Support;

/// <summary>One Redis inline command over a raw socket (the tests need no client library for SET/GET).</summary>
public static class RedisCommands
{
    public static async Task<string> SendAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[1024];
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
