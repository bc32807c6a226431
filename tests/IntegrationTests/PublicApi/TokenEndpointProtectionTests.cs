using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>The public keys published for access tokens (JWKS), and the rate limit on POST /oauth/token.</summary>
public sealed class TokenEndpointProtectionTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task The_JWKS_publishes_the_public_key_that_verifies_an_issued_token_and_nothing_private()
    {
        using var client = api.Client();
        var token = await client.TokenAsync(api.TenantA.ApiKey);

        var response = await client.GetAsync("/.well-known/jwks.json");
        var jwks = await response.ReadJsonAsync(HttpStatusCode.OK);

        var kid = OAuthHttp.Header(token).GetProperty("kid").GetString();
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
        Assert.Equal(("EC", "P-256", "ES256", "sig"),
            (key.GetProperty("kty").GetString(), key.GetProperty("crv").GetString(), key.GetProperty("alg").GetString(), key.GetProperty("use").GetString()));
        Assert.All(jwks.GetProperty("keys").EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _), "a private key was published"));

        // Verified here from the JWK's x and y alone, as a partner's library would (JWS ES256: r||s over "header.payload").
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = FromBase64Url(key.GetProperty("x").GetString()!), Y = FromBase64Url(key.GetProperty("y").GetString()!) },
        });
        var parts = token.Split('.');
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Token_requests_over_the_clients_budget_get_a_429_problem_with_Retry_After()
    {
        var tenant = await api.Arrange.AddTenantAsync("Asks for too many tokens");
        await using var limited = api.NewInstance(new Dictionary<string, string?> { ["PublicApi:RateLimits:TokenRequestsPerClient"] = "3" });
        using var client = limited.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync(tenant.ApiKey)).StatusCode);
        }
        var refused = await client.RequestTokenAsync(tenant.ApiKey);

        var problem = await refused.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Another client from the same address still gets its tokens.
        Assert.Equal(HttpStatusCode.OK, (await client.RequestTokenAsync(api.TenantB.ApiKey)).StatusCode);
    }

    [Fact]
    public async Task Token_requests_over_an_addresses_budget_get_a_429_whatever_the_client_and_other_addresses_are_served()
    {
        var tenant = await api.Arrange.AddTenantAsync("Shares an address with a guesser");
        await using var limited = api.NewInstance(new Dictionary<string, string?> { ["PublicApi:RateLimits:TokenRequestsPerIp"] = "3" });
        // Addresses of their own (documentation range, random): the budget is counted in the shared test Redis.
        var address = IPAddress.Parse($"2001:db8::{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}");
        var neighbour = IPAddress.Parse($"2001:db8:1::{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}");

        // Guesses with made-up clients count too: the address is counted before the credentials are checked.
        var guesses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var guess = $"sa_{Guid.NewGuid():N}"[..11] + "_" + Guid.NewGuid().ToString("N");
            guesses.Add((await RequestTokenFromAsync(limited, address, guess)).Response.StatusCode);
        }
        var refused = await RequestTokenFromAsync(limited, address, tenant.ApiKey);
        var elsewhere = await RequestTokenFromAsync(limited, neighbour, tenant.ApiKey);

        Assert.Equal([401, 401, 401], guesses);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.True(int.Parse(refused.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.StartsWith("application/problem+json", refused.Response.ContentType);
        using var problem = await JsonDocument.ParseAsync(refused.Response.Body);
        Assert.Equal("rate_limited", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(StatusCodes.Status200OK, elsewhere.Response.StatusCode);
    }

    /// <summary>POST /oauth/token as a client at <paramref name="address"/> (TestServer lets the test set the connection's address).</summary>
    private static Task<HttpContext> RequestTokenFromAsync(PublicApiFactory factory, IPAddress address, string apiKey)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = OAuthHttp.ClientId(apiKey),
            ["client_secret"] = apiKey,
        });
        return factory.Server.SendAsync(context =>
        {
            context.Connection.RemoteIpAddress = address;
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/oauth/token";
            context.Request.ContentType = "application/x-www-form-urlencoded";
            context.Request.Body = form.ReadAsStream();
        });
    }

    private static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
