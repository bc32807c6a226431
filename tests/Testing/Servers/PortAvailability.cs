using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.Testing.Servers;

/// <summary>Free ports for tests, and a clear error before a server fails obscurely on a port that is taken.</summary>
public static class PortAvailability
{
    /// <summary>A port that was free a moment ago (the OS picks it; fine for tests, which start right after).</summary>
    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// No socket listens on the port, on any address (read from /proc/net/tcp and tcp6, as ss does). A test bind would
    /// not tell: .NET binds with SO_REUSEADDR, which Linux lets coexist with a listener on another address of the port.
    /// </summary>
    public static bool IsFree(int port)
    {
        const string Listen = "0A";
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var localPort = Convert.ToInt32(fields[1][(fields[1].LastIndexOf(':') + 1)..], 16);
                if (localPort == port && fields[3] == Listen)
                {
                    return false;
                }
            }
        }

        return true;
    }

    public static void EnsureFree(string owner, int port)
    {
        if (!IsFree(port))
        {
            throw new InvalidOperationException(
                $"Port {port} for '{owner}' is already in use (another instance running? `ss -ltnp 'sport = :{port}'` shows who). " +
                $"Choose another with --Ports:{owner}=N.");
        }
    }
}
