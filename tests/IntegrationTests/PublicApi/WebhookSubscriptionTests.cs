using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using SaasAssistants.PublicApi.Webhooks;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

public sealed class WebhookSubscriptionTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task A_subscription_returns_its_id_and_a_whsec_secret_once_and_is_listed_for_its_tenant_only()
    {
        var tenant = await api.Arrange.AddTenantAsync("Subscribes to events");
        using var client = api.Client(tenant.ApiKey);
        using var stranger = api.Client(api.TenantB.ApiKey);

        var created = await (await client.PostAsJsonAsync("/api/v1/webhooks",
            new { url = "http://127.0.0.1:9/hooks", events = new[] { "message.created", "task.failed" } })).ReadJsonAsync(HttpStatusCode.Created);

        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var id = created.GetProperty("id").GetGuid();
        var listed = await (await client.GetAsync("/api/v1/webhooks")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([id], listed.Ids());
        Assert.False(listed[0].TryGetProperty("secret", out _));
        Assert.Empty((await (await stranger.GetAsync("/api/v1/webhooks")).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await stranger.DeleteAsync($"/api/v1/webhooks/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        // Stored encrypted, never in clear.
        var stored = await api.Arrange.ScalarAsync<byte[]>("SELECT secret_encrypted FROM webhook_subscriptions WHERE id = $1", id);
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(stored));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"events": ["message.created"]}""", "url")]
    [InlineData("""{"url": "ftp://partner.example/x", "events": ["message.created"]}""", "url")]
    [InlineData("""{"url": "https://partner.example/x", "events": []}""", "events")]
    [InlineData("""{"url": "https://partner.example/x", "events": ["message.deleted"]}""", "events")]
    public async Task Bad_subscriptions_are_a_400_naming_the_field(string body, string field)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.PostAsync("/api/v1/webhooks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Theory]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://172.20.0.1/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks")]
    [InlineData("http://93.184.216.34/hooks")]
    public async Task Outside_Development_internal_targets_and_plain_http_are_refused(string url)
    {
        var policy = new WebhookTargetPolicy(new Environment("Production"));

        Assert.NotNull(await policy.RejectionAsync(url, CancellationToken.None));
    }

    [Fact]
    public async Task Outside_Development_a_public_https_address_is_accepted()
    {
        var policy = new WebhookTargetPolicy(new Environment("Production"));

        Assert.Null(await policy.RejectionAsync("https://93.184.216.34/hooks", CancellationToken.None));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "PublicApi";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
