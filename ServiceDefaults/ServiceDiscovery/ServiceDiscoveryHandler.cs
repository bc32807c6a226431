namespace SaasAssistants.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Lets a typed client use <c>BaseAddress = new("http://gateway")</c>: requests to a configured service name go to
/// its configured endpoint; every other host passes through untouched.
/// </summary>
internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } logical && resolver.Resolve(logical) is { } physical)
        {
            request.RequestUri = physical;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
