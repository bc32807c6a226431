using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.Testing.Servers;

/// <summary>Free ports for tests, and a clear error before a server fails obscurely on a port that is taken.</summary>
public static class PortAvailability
{
    private static readonly string ReservationFolder = Path.Combine(Path.GetTempPath(), "saas-testing-ports");
    private static readonly ConcurrentBag<FileStream> Reservations = [];
    private static readonly Lazy<int> EphemeralLow = new(ReadEphemeralLow);

    /// <summary>
    /// A free port for a server that will bind it a moment later, in another process. It is taken below the kernel's
    /// ephemeral range, so no outgoing connection (a test suite opens thousands) can get it as its local port in the
    /// meantime, and it is reserved for this process's lifetime with a lock file, so a parallel test assembly of ours
    /// never picks it too. A port the OS hands out for <c>bind(0)</c> has neither guarantee: CI lost a whole end-to-end
    /// run to a start-up that never became healthy.
    /// </summary>
    public static int GetFreePort()
    {
        var high = EphemeralLow.Value;
        var low = Math.Max(10_000, high - 12_000);
        Directory.CreateDirectory(ReservationFolder);
        for (var attempt = 0; attempt < 500 && low < high; attempt++)
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
        catch (IOException)
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

    /// <summary>The first port of <c>net.ipv4.ip_local_port_range</c> (Linux's default 32768 when unreadable).</summary>
    private static int ReadEphemeralLow()
    {
        const string RangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(RangeFile)
            && int.TryParse(File.ReadAllText(RangeFile).Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)[0], out var low)
            ? low
            : 32768;
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
