using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using SaasAssistants.ServiceDefaults.Correlation;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private readonly string _logDirectory = TestApp.NewLogDirectory();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = TestApp.CreateBuilder(_logDirectory);
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/throw", (Func<string>)(() => throw new InvalidOperationException("secret internals")));
        _app.MapGet("/forbidden", () => Results.StatusCode(StatusCodes.Status403Forbidden));
        _app.MapGet("/enum", () => new { Kind = DayOfWeek.Monday, Missing = (string?)null });
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_logDirectory, recursive: true);
    }

    [Fact]
    public async Task Unhandled_exception_becomes_a_500_problem_without_internals()
    {
        using var response = await GetAsync("/throw", "problem-500");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.Equal("problem-500", problem.RootElement.GetProperty("correlationId").GetString());
        Assert.DoesNotContain("secret internals", body);
        Assert.DoesNotContain("InvalidOperationException", body);
    }

    [Fact]
    public async Task Unknown_route_becomes_a_404_problem()
    {
        using var response = await GetAsync("/no/such/thing", "problem-404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.Equal("problem-404", problem.RootElement.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task Empty_error_status_from_an_endpoint_becomes_a_problem()
    {
        using var response = await GetAsync("/forbidden", "problem-403");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Minimal_api_json_uses_the_contract_settings()
    {
        using var response = await GetAsync("/enum", "json-1");

        Assert.Equal("""{"kind":"monday"}""", await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> GetAsync(string path, string correlationId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(CorrelationContext.HeaderName, correlationId);
        request.Headers.Add("Accept", "application/json");
        return _client.SendAsync(request);
    }
}
