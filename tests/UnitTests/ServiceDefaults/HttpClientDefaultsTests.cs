using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using SaasAssistants.ServiceDefaults.Correlation;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

/// <summary>Every factory HttpClient: service discovery, correlation id propagation, retries of idempotent calls only.</summary>
public sealed class HttpClientDefaultsTests : IAsyncLifetime
{
    private readonly string _logDirectory = TestApp.NewLogDirectory();
    private WebApplication _backend = null!;
    private WebApplication _caller = null!;
    private int _flakyCalls;

    public async Task InitializeAsync()
    {
        // A real server on a free port: the request must really travel through the rewritten address.
        var backendBuilder = TestApp.CreateBuilder(_logDirectory, useKestrel: true);
        _backend = backendBuilder.Build();
        _backend.MapGet("/whoami", (HttpRequest request) => request.Headers[CorrelationContext.HeaderName].ToString());
        _backend.MapMethods("/flaky", ["GET", "POST"], () =>
            Interlocked.Increment(ref _flakyCalls) == 1 ? Results.StatusCode(503) : Results.Text("recovered"));
        await _backend.StartAsync();

        var callerBuilder = TestApp.CreateBuilder(
            _logDirectory,
            settings:
            [
                ("services:backend:http:0", TestApp.BaseAddress(_backend).ToString()),
            ]);
        callerBuilder.AddServiceDefaults();
        // The standard handler's first retry waits about 2 s; the test only needs to see that it happens.
        callerBuilder.Services.PostConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.FromMilliseconds(10));
        callerBuilder.Services.AddHttpClient("backend", client => client.BaseAddress = new Uri("http://backend"));
        _caller = callerBuilder.Build();
    }

    public async Task DisposeAsync()
    {
        await _caller.DisposeAsync();
        await _backend.DisposeAsync();
        Directory.Delete(_logDirectory, recursive: true);
    }

    private HttpClient Client => _caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient("backend");

    [Fact]
    public async Task Logical_service_address_reaches_the_configured_endpoint_with_the_correlation_id()
    {
        CorrelationContext.Current = "outgoing-call-7";
        try
        {
            Assert.Equal("outgoing-call-7", await Client.GetStringAsync("/whoami"));
        }
        finally
        {
            CorrelationContext.Current = null;
        }
    }

    [Fact]
    public async Task Idempotent_request_is_retried_after_a_transient_failure()
    {
        using var response = await Client.GetAsync("/flaky");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _flakyCalls);
    }

    [Fact]
    public async Task Post_is_not_retried()
    {
        using var response = await Client.PostAsync("/flaky", content: null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _flakyCalls);
    }
}
