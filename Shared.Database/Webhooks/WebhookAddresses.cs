using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.Database.Webhooks;

/// <summary>
/// The addresses a webhook must never reach (SSRF): loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
/// link-local (169.254/16, the cloud metadata service; fe80::/10), carrier-grade NAT, multicast and unspecified.
/// Checked when a subscription is created (PublicApi) and again on every connection a delivery opens (MessageProcessor),
/// because DNS can change in between.
/// </summary>
public static class WebhookAddresses
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
}
