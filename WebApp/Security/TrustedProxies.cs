using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SaasAssistants.WebApp.Security;

/// <summary>
/// Behind a TLS-terminating proxy the WebApp sees plain HTTP from the proxy's address, so it would issue cookies
/// without Secure and redirects to http. With <c>ForwardedHeaders:KnownProxies</c> (addresses) or
/// <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges) configured, X-Forwarded-For and X-Forwarded-Proto are taken
/// from those senders only, and ignored from anyone else. Nothing configured (the default): the headers are ignored.
/// Each key takes a list (<c>KnownProxies:0</c>, <c>KnownProxies:1</c>) or one comma-separated value.
/// </summary>
public static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        var proxies = Values(builder.Configuration, "KnownProxies").Select(value => IPAddress.TryParse(value, out var address)
            ? address
            : throw new InvalidOperationException($"{Section}:KnownProxies: '{value}' is not an IP address.")).ToList();
        var networks = Values(builder.Configuration, "KnownNetworks").Select(value => System.Net.IPNetwork.TryParse(value, out var network)
            ? network
            : throw new InvalidOperationException($"{Section}:KnownNetworks: '{value}' is not a CIDR range such as 10.0.0.0/8.")).ToList();

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only what is configured is trusted: not even the loopback defaults.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        builder.Services.AddSingleton(new TrustedProxiesConfigured(proxies.Count + networks.Count > 0));
        return builder;
    }

    /// <summary>First in the pipeline, so everything after sees the client's scheme and address.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TrustedProxiesConfigured>().Value)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection($"{Section}:{key}");
        var values = section.Value is { } single ? single.Split(',') : section.GetChildren().Select(child => child.Value ?? "");
        return values.Select(value => value.Trim()).Where(value => value.Length > 0);
    }

    private sealed record TrustedProxiesConfigured(bool Value);
}
