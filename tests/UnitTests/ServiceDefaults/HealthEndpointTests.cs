using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SaasAssistants.ServiceDefaults.Health;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly string _logDirectory = TestApp.NewLogDirectory();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = TestApp.CreateBuilder(_logDirectory);
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks()
            .AddCheck("database", () => HealthCheckResult.Unhealthy("down"), [HealthTags.Ready]);
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_logDirectory, recursive: true);
    }

    [Fact]
    public async Task Health_runs_every_check_and_reports_each()
    {
        using var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("self").GetString());
        Assert.Equal("Unhealthy", checks.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Alive_runs_only_live_checks()
    {
        using var response = await _client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{"self":"Healthy"}}""", await response.Content.ReadAsStringAsync());
    }
}
