using System.Net;
using System.Net.Sockets;
using SaasAssistants.ServiceDefaults.Http;

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
        {
            return "url must be an absolute http(s) URL without credentials.";
        }

        if (environment.IsDevelopment())
        {
            return null;
        }

        if (uri.Scheme != "https")
        {
            return "url must use https.";
        }

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
            : addresses.Any(PublicAddresses.IsInternal) ? "url must not point at a private, loopback or link-local address." : null;
    }
}
