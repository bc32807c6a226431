using System.Net;
using System.Net.Sockets;

namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>
/// SSRF protection for subscription URLs: outside Development a target must be https and must not resolve to a
/// loopback, private, link-local, carrier-grade NAT, multicast or unspecified address (our own network and the cloud's
/// metadata service). Checked at subscription; the delivery must check the resolved address again (DNS can change).
/// </summary>
public sealed class WebhookTargetPolicy(IHostEnvironment environment)
{
    public async Task<string?> RejectionAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
            return "url must be an absolute http(s) URL without credentials.";
        if (environment.IsDevelopment())
            return null;
        if (uri.Scheme != "https")
            return "url must use https.";
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "url's host does not resolve.";
        }
        return addresses.Length == 0 ? "url's host does not resolve."
            : addresses.Any(IsInternal) ? "url must not point at a private, loopback or link-local address." : null;
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] >= 224;
    }
}
