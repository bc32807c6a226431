using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>
/// Behind a TLS-terminating proxy: X-Forwarded-Proto (and -For) count only from the configured
/// <c>ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c>, so cookies get Secure and redirects use https there,
/// and the headers are ignored from any other address, and from everyone when nothing is configured (the default).
/// </summary>
public sealed class ForwardedHeadersTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Proxy = "10.0.0.5";

    [Theory]
    [InlineData(Proxy, true)]
    [InlineData("192.168.7.9", true)]
    [InlineData("10.0.0.6", false)]
    [InlineData("127.0.0.1", false)]
    public async Task X_Forwarded_Proto_counts_only_from_a_configured_proxy_or_network(string from, bool trusted)
    {
        await using var behindProxy = new WebAppFactory(app.AppConnectionString, app.RabbitMQConnectionString, app.EncryptionKey,
            new Dictionary<string, string>
            {
                ["ForwardedHeaders:KnownProxies:0"] = Proxy,
                ["ForwardedHeaders:KnownNetworks"] = "192.168.0.0/16, 172.16.0.0/12",
            });

        var (cookie, location) = await VisitAsync(behindProxy.Server, from);

        Assert.Equal(trusted, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(trusted ? "https" : "http", location.Scheme);
        Assert.Equal("crm.example.test", location.Host);
    }

    [Fact]
    public async Task Without_configuration_the_headers_are_ignored_even_from_loopback()
    {
        var (cookie, location) = await VisitAsync(app.Factory.Server, "127.0.0.1");

        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("http", location.Scheme);
    }

    /// <summary>A new visitor's sign-in page (its antiforgery cookie) and a protected page (its redirect), as the proxy relays them.</summary>
    private static async Task<(string AntiforgeryCookie, Uri LoginRedirect)> VisitAsync(TestServer server, string from)
    {
        var login = await server.SendAsync(context => Forwarded(context, from, "/login"));
        var cookie = Assert.Single(login.Response.Headers.SetCookie.Select(c => c ?? ""), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var protectedPage = await server.SendAsync(context => Forwarded(context, from, "/conversations"));
        Assert.Equal(StatusCodes.Status302Found, protectedPage.Response.StatusCode);
        return (cookie, new Uri(protectedPage.Response.Headers.Location.ToString()));
    }

    private static void Forwarded(HttpContext context, string from, string path)
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("crm.example.test");
        context.Request.Path = path;
        context.Request.Headers.Accept = "text/html";
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        context.Connection.RemoteIpAddress = IPAddress.Parse(from);
    }
}
