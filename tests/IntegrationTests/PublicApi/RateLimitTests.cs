using System.Diagnostics;
using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>Rate limits per key and per tenant, by plan, counted in the shared Redis; Redis trouble lets requests through fast.</summary>
public sealed class RateLimitTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    private static readonly Dictionary<string, string?> TinyTrialPlan = new()
    {
        ["PublicApi:RateLimits:Plans:trial:PerKey"] = "3",
        ["PublicApi:RateLimits:Plans:trial:PerTenant"] = "5",
    };

    [Fact]
    public async Task Every_counted_response_carries_the_RateLimit_headers_of_the_plan()
    {
        var tenant = await api.Arrange.AddTenantAsync("Counts its requests");
        await api.Arrange.ExecuteAsync("UPDATE tenants SET plan = 'pro' WHERE id = $1", tenant.TenantId);
        using var client = api.Client(tenant.ApiKey);

        var first = await client.GetAsync("/api/v1/tasks");
        var second = await client.GetAsync("/api/v2/conversations");

        Assert.Equal("1200", Header(first, "RateLimit-Limit"));
        Assert.Equal("1199", Header(first, "RateLimit-Remaining"));
        Assert.Equal("1198", Header(second, "RateLimit-Remaining"));
        Assert.InRange(int.Parse(Header(second, "RateLimit-Reset")!), 1, 60);
        Assert.StartsWith("1200;w=60", Header(second, "RateLimit-Policy"));
    }

    [Fact]
    public async Task A_key_over_its_budget_gets_429_with_Retry_After_and_the_tenant_budget_caps_all_its_keys()
    {
        await using var instance = api.NewInstance(TinyTrialPlan);
        var tenant = await api.Arrange.AddTenantAsync("Small plan");
        var (secondKey, _) = await api.Arrange.AddApiKeyAsync(tenant.TenantId);
        var other = await api.Arrange.AddTenantAsync("Neighbour on the same plan");
        using var first = Client(instance, tenant.ApiKey);
        using var second = Client(instance, secondKey);
        using var neighbour = Client(instance, other.ApiKey);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/tasks")).StatusCode);
        }

        var limited = await first.GetAsync("/api/v1/tasks");
        var problem = await limited.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("0", Header(limited, "RateLimit-Remaining"));

        // The second key has a budget of its own, but the tenant's (5) has one request left (4 counted so far).
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/tasks")).StatusCode);
        await (await second.GetAsync("/api/v1/tasks")).ReadProblemAsync(HttpStatusCode.TooManyRequests);
        // Another tenant is not affected.
        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync("/api/v1/tasks")).StatusCode);
    }

    [Fact]
    public async Task A_stalled_Redis_lets_requests_through_quickly()
    {
        await using var proxy = new StallingTcpProxy(api.Redis);
        // The product's own short timeout (the test factory raises it for the tests that count).
        await using var instance = api.NewInstance(new Dictionary<string, string?>(TinyTrialPlan)
        {
            ["ConnectionStrings:redis"] = proxy.Address,
            ["PublicApi:RateLimits:RedisTimeout"] = "00:00:00.150",
        });
        var tenant = await api.Arrange.AddTenantAsync("Rate limited through the proxy");
        using var client = Client(instance, tenant.ApiKey);
        // Connected and counting first, so the stall hits a live connection rather than a missing one.
        await WaitUntilCountedAsync(client);

        proxy.Stall();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tasks")).StatusCode);
        }

        // Not a speed figure: waiting for Redis's own timeout (5 s) would take 25 s for the five; failing open after
        // 150 ms takes under one. The bound sits between, with room for a loaded machine.
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task No_Redis_at_all_lets_requests_through()
    {
        await using var instance = api.NewInstance(new Dictionary<string, string?>(TinyTrialPlan) { ["ConnectionStrings:redis"] = "127.0.0.1:1" });
        var tenant = await api.Arrange.AddTenantAsync("Rate limiter down");
        using var client = Client(instance, tenant.ApiKey);

        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync("/api/v1/tasks");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(Header(response, "RateLimit-Remaining"));
        }
    }

    private static async Task WaitUntilCountedAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Header(await client.GetAsync("/api/v1/tasks"), "RateLimit-Remaining") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The API never reached Redis through the proxy.");
            await Task.Delay(50);
        }
    }

    private static HttpClient Client(PublicApiFactory instance, string apiKey)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
