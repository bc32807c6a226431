using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.AppHost.Hosting.Servers;

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

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
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
