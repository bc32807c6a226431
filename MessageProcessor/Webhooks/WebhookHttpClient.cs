using System.Net;
using Microsoft.Extensions.Options;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.ServiceDefaults.Http;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// The one HttpClient that talks to partners' endpoints. Not from IHttpClientFactory on purpose: the service defaults
/// put service discovery (a partner URL naming one of our services would resolve to it) and a circuit breaker shared by
/// every host (one dead endpoint would stop all deliveries) on every factory client. Here, every connection resolves
/// the host itself and refuses loopback, private and link-local addresses outside Development, so DNS that changed
/// since the subscription was checked (rebinding) cannot reach our network; redirects are not followed (a 3xx is a
/// failed delivery) so a receiver cannot bounce us to such an address either.
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    private readonly bool _allowPrivateTargets;

    public WebhookHttpClient(IOptions<WebhookDeliveryOptions> options, IHostEnvironment environment)
    {
        _allowPrivateTargets = options.Value.AllowPrivateTargets ?? environment.IsDevelopment();
        Http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // New connections resolve DNS again, so a moved endpoint is followed (and checked) within minutes.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectAsync,
        })
        {
            Timeout = options.Value.Timeout,
        };
    }

    public HttpClient Http { get; }

    public void Dispose() => Http.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!_allowPrivateTargets && addresses.FirstOrDefault(PublicAddresses.IsInternal) is { } refused)
        {
            throw new WebhookTargetRefusedException(
                $"{host} resolves to {refused}, a loopback, private or link-local address: webhooks may only reach the public internet.");
        }
        return await PublicAddresses.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
    }
}
