using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.ServiceDefaults.Http;

/// <summary>
/// Where an outbound request to an address a customer or a partner chose may go (SSRF): never to loopback, private
/// (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, the cloud metadata service; fe80::/10), carrier-grade
/// NAT, multicast or unspecified addresses. Webhook deliveries, media downloads and knowledge URL fetches check it when
/// the address is given and again in their handler's connect step, because DNS can change in between.
/// </summary>
public static class PublicAddresses
{
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] >= 224;
    }

    /// <summary>
    /// A <c>SocketsHttpHandler.ConnectCallback</c>'s last step: connects to exactly the addresses the caller checked, so
    /// no second DNS lookup can swap in another.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
