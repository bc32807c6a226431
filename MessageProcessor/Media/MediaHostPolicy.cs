using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SaasAssistants.MessageProcessor.Channels;
using SaasAssistants.ServiceDefaults.Http;

namespace SaasAssistants.MessageProcessor.Media;

/// <summary>
/// Where <c>media.fetch</c> may download from (SSRF guard: a media URL comes from a signed message, and whoever holds a
/// channel's secret could otherwise make us fetch, with the channel's credentials, anything our network reaches).
/// A host is allowed when it is one of Meta's or Twilio's media hosts (<see cref="MediaOptions.DefaultAllowedHosts"/>),
/// matches <see cref="MediaOptions.AllowedHosts"/>, or is the configured Graph or Twilio base URL's host. Only a host
/// named exactly in configuration (or a base URL's) may be on a loopback, private or link-local address; every other
/// host must resolve to public addresses only, checked on the addresses actually connected to (<see cref="ConnectAsync"/>),
/// so DNS that changes after the check (rebinding) cannot get around it.
/// </summary>
public sealed class MediaHostPolicy
{
    private readonly HashSet<string> _trustedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _publicHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _publicDomainSuffixes = [];

    public MediaHostPolicy(IOptions<MediaOptions> media, IOptions<ChannelsOptions> channels)
    {
        _trustedHosts.Add(HostOf(channels.Value.GraphBaseUrl));
        _trustedHosts.Add(HostOf(channels.Value.TwilioBaseUrl));
        foreach (var entry in MediaOptions.DefaultAllowedHosts)
        {
            AddPublic(entry);
        }

        foreach (var entry in media.Value.AllowedHosts.Select(Normalize).Where(e => e.Length > 0))
        {
            if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                AddPublic(entry);
            }
            else
            {
                _trustedHosts.Add(entry);
            }
        }
    }

    /// <summary>The host as compared here: IDN in punycode, IPv6 without brackets, lower case, no trailing dot.</summary>
    public static string HostOf(Uri url) => Normalize(url.HostNameType == UriHostNameType.IPv6 ? url.DnsSafeHost : url.IdnHost);

    /// <summary>Named exactly in configuration (or a base URL's host): may be on a private network.</summary>
    public bool IsTrusted(string host) => _trustedHosts.Contains(Normalize(host));

    public bool IsAllowed(string host)
    {
        host = Normalize(host);
        if (_trustedHosts.Contains(host) || _publicHosts.Contains(host))
        {
            return true;
        }

        // A pattern names DNS domains, never an address.
        return !IPAddress.TryParse(host, out _) && _publicDomainSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>Why <paramref name="host"/>, resolving to <paramref name="addresses"/>, must not be fetched from; null when it may.</summary>
    public MediaFetchException? Refusal(string host, IReadOnlyCollection<IPAddress> addresses)
    {
        if (IsTrusted(host))
        {
            return null;
        }

        if (addresses.FirstOrDefault(PublicAddresses.IsInternal) is { } inside)
        {
            return new MediaFetchException(MediaFetchException.AddressNotPublic, false,
                $"Media host {Normalize(host)} resolves to {inside}, a loopback, private or link-local address.");
        }

        return IsAllowed(host) ? null : NotAllowed(host);
    }

    /// <summary>
    /// Checks a URL before any request: the host first (an unknown host is not even looked up), then, unless it is
    /// trusted, the addresses it resolves to.
    /// </summary>
    public async Task EnsureAllowedAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = HostOf(url);
        if (IPAddress.TryParse(host, out var literal))
        {
            if (Refusal(host, [literal]) is { } refused)
            {
                throw refused;
            }

            return;
        }

        if (!IsAllowed(host))
        {
            throw NotAllowed(host);
        }

        if (!IsTrusted(host) && Refusal(host, await ResolveAsync(host, cancellationToken)) is { } inside)
        {
            throw inside;
        }
    }

    /// <summary>The HTTP handler's connect step: every connection (a redirect's too) re-checks what it connects to.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await ResolveAsync(host, cancellationToken);
        if (Refusal(host, addresses) is { } refused)
        {
            throw refused;
        }

        return await PublicAddresses.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new MediaFetchException(MediaFetchException.SourceUnavailable, true, $"Media host {host} could not be resolved: {ex.Message}");
        }
    }

    private void AddPublic(string entry)
    {
        entry = Normalize(entry);
        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            _publicDomainSuffixes.Add(entry[1..]);
        }
        else
        {
            _publicHosts.Add(entry);
        }
    }

    private static MediaFetchException NotAllowed(string host) =>
        new(MediaFetchException.HostNotAllowed, false, $"Media host {Normalize(host)} is not an allowed media host (Media:AllowedHosts).");

    private static string Normalize(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
