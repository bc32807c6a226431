using Microsoft.Extensions.Configuration;
using SaasAssistants.ServiceDefaults.ServiceDiscovery;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

public sealed class ServiceDiscoveryTests
{
    private static ServiceEndpointResolver Resolver(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Rewrites_a_service_name_to_its_configured_endpoint_keeping_path_and_query()
    {
        var resolver = Resolver(("services:gateway:http:0", "http://localhost:5101"));

        var resolved = resolver.Resolve(new Uri("http://gateway/v1/widget/abc/sessions?token=x%20y"));

        Assert.Equal("http://localhost:5101/v1/widget/abc/sessions?token=x%20y", resolved?.AbsoluteUri);
    }

    [Fact]
    public void Keeps_a_base_path_of_the_configured_endpoint()
    {
        var resolver = Resolver(("services:public-api:http:0", "http://127.0.0.1:5102/prefix/"));

        Assert.Equal(
            "http://127.0.0.1:5102/prefix/api/v1/conversations",
            resolver.Resolve(new Uri("http://public-api/api/v1/conversations"))?.AbsoluteUri);
    }

    [Fact]
    public void Https_plus_http_prefers_https_and_falls_back_to_http()
    {
        var httpOnly = Resolver(("services:webapp:http:0", "http://localhost:5100"));
        var both = Resolver(("services:webapp:http:0", "http://localhost:5100"), ("services:webapp:https:0", "https://localhost:7100"));

        Assert.Equal("http://localhost:5100/x", httpOnly.Resolve(new Uri("https+http://webapp/x"))?.AbsoluteUri);
        Assert.Equal("https://localhost:7100/x", both.Resolve(new Uri("https+http://webapp/x"))?.AbsoluteUri);
    }

    [Fact]
    public void Leaves_unknown_hosts_alone()
    {
        var resolver = Resolver(("services:gateway:http:0", "http://localhost:5101"));

        Assert.Null(resolver.Resolve(new Uri("https://graph.facebook.com/v21.0/123/messages")));
        Assert.Null(resolver.Resolve(new Uri("http://message-processor/")));
    }
}
