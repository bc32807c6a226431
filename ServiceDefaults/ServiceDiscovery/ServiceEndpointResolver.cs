using Microsoft.Extensions.Configuration;

namespace SaasAssistants.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Configuration-based service discovery with Aspire's keys: <c>services:{service}:{endpoint}:{index}</c>
/// (environment <c>services__gateway__http__0=http://localhost:5101</c>). Microsoft.Extensions.ServiceDiscovery is
/// not available here; this is the part of it we use, under the same name, so the real one can replace it.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>The first configured endpoint of a service, e.g. ("gateway", "http") → http://localhost:5101.</summary>
    public Uri? GetEndpoint(string serviceName, string endpointName = "http") =>
        configuration[$"services:{serviceName}:{endpointName}:0"] is { Length: > 0 } value
        && Uri.TryCreate(value, UriKind.Absolute, out var endpoint)
            ? endpoint
            : null;

    /// <summary>
    /// Rewrites a logical address (<c>http://gateway/api/x</c>, or <c>https+http://gateway/...</c> for "https, else
    /// http") to the configured endpoint, keeping path and query. Null when the host is not a configured service.
    /// </summary>
    public Uri? Resolve(Uri logicalUri)
    {
        if (!logicalUri.IsAbsoluteUri)
        {
            return null;
        }

        foreach (var endpointName in logicalUri.Scheme.Split('+'))
        {
            if (GetEndpoint(logicalUri.Host, endpointName) is { } endpoint)
            {
                return new UriBuilder(endpoint)
                {
                    Path = endpoint.AbsolutePath.TrimEnd('/') + logicalUri.AbsolutePath,
                    Query = logicalUri.Query.TrimStart('?'),
                    Fragment = logicalUri.Fragment.TrimStart('#'),
                }.Uri;
            }
        }

        return null;
    }
}
