using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.Testing.Servers;

/// <summary>Free ports for tests, and a clear error before a server fails obscurely on a port that is taken.</summary>
public static class PortAvailability
{
    // Per user: another user's folder would not be ours to write in.
    private static readonly string ReservationFolder = Path.Combine(Path.GetTempPath(), $"saas-testing-ports-{Environment.UserName}");
    private static readonly ConcurrentBag<FileStream> Reservations = [];
    private static readonly Lazy<(int Low, int High)> Outside = new(PortsOutsideEphemeralRange);

    /// <summary>
    /// A free port for a server that will bind it a moment later, in another process. It is taken outside the kernel's
    /// ephemeral range (below it, or above it where it starts low), so no outgoing connection (a test suite opens thousands) can get it as its local port in the
    /// meantime, and it is reserved for this process's lifetime with a lock file, so a parallel test assembly of ours
    /// never picks it too. A port the OS hands out for <c>bind(0)</c> has neither guarantee: CI lost a whole end-to-end
    /// run to a start-up that never became healthy.
    /// </summary>
    public static int GetFreePort()
    {
        var (low, high) = Outside.Value;
        Directory.CreateDirectory(ReservationFolder);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(low, high);
            if (TryReserve(port) is not { } reservation)
            {
                continue;
            }

            if (IsFree(port) && CanBind(port))
            {
                Reservations.Add(reservation);
                return port;
            }

            reservation.Dispose();
        }

        throw new InvalidOperationException($"No free port found in {low}-{high - 1} after 500 attempts.");
    }

    private static FileStream? TryReserve(int port)
    {
        try
        {
            // FileShare.None is an exclusive flock on Linux: released when this process ends, however it ends.
            return new FileStream(Path.Combine(ReservationFolder, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool CanBind(int port)
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

    /// <summary>
    /// Up to 12,000 ports below <c>net.ipv4.ip_local_port_range</c> (Linux's default 32768-60999), else above it; a range
    /// that leaves no room (1024-65535) leaves any port, where the reservation still keeps our own processes apart.
    /// </summary>
    private static (int Low, int High) PortsOutsideEphemeralRange()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        var range = File.Exists(RangeFile) ? File.ReadAllText(RangeFile).Split(default(char[]), StringSplitOptions.RemoveEmptyEntries) : [];
        var first = range.Length == 2 && int.TryParse(range[0], out var value) ? value : 32768;
        var last = range.Length == 2 && int.TryParse(range[1], out var top) ? top : 60999;
        if (first >= 12_000)
        {
            return (Math.Max(10_000, first - 12_000), first);
        }

        return last <= 65535 - 2_000 ? (last + 1, 65536) : (10_000, 65536);
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
