using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

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
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only what is configured is trusted: not even the loopback defaults.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var value in Values(configuration, "KnownProxies"))
            {
                options.KnownProxies.Add(IPAddress.TryParse(value, out var address)
                    ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies: '{value}' is not an IP address."));
            }
            foreach (var value in Values(configuration, "KnownNetworks"))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(value, out var network)
                    ? network
                    : throw new InvalidOperationException($"{Section}:KnownNetworks: '{value}' is not a CIDR range such as 10.0.0.0/8."));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after sees the client's scheme and address. Reading the options here
    /// also refuses a malformed address at startup.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count + options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        // A list's parent key may carry an empty value of its own, so both forms are read.
        var section = configuration.GetSection($"{Section}:{key}");
        return (section.Value ?? "").Split(',').Concat(section.GetChildren().SelectMany(child => (child.Value ?? "").Split(',')))
            .Select(value => value.Trim()).Where(value => value.Length > 0);
    }
}
