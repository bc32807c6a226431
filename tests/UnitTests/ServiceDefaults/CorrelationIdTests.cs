using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SaasAssistants.ServiceDefaults.Correlation;
using Xunit;

namespace SaasAssistants.UnitTests.ServiceDefaults;

public sealed class CorrelationIdTests : IAsyncLifetime
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
        _app.MapGet("/echo", () => CorrelationContext.Current);
        _app.MapGet("/log", (ILogger<CorrelationIdTests> logger) =>
        {
            logger.LogInformation("Handled the log endpoint");
            return "ok";
        });
        _app.MapGet("/throw", (Func<string>)(() => throw new InvalidOperationException("boom")));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_logDirectory, recursive: true);
    }

    [Theory]
    [InlineData("abc-123")]
    [InlineData("Req_2026.11.22-x")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")] // exactly 64
    public async Task Accepts_a_sane_incoming_id_and_returns_it(string incoming)
    {
        using var response = await SendAsync("/echo", incoming);

        Assert.Equal(incoming, Assert.Single(response.Headers.GetValues(CorrelationContext.HeaderName)));
        Assert.Equal(incoming, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Generates_an_id_when_none_is_sent()
    {
        using var response = await SendAsync("/echo", incoming: null);

        var generated = Assert.Single(response.Headers.GetValues(CorrelationContext.HeaderName));
        Assert.True(CorrelationId.IsValid(generated));
        Assert.Equal(32, generated.Length); // trace id or Guid "N": both 32 hex digits
        Assert.Equal(generated, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("line\u00e9break")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")] // 65
    public async Task Replaces_an_insane_incoming_id(string incoming)
    {
        using var response = await SendAsync("/echo", incoming);

        var returned = Assert.Single(response.Headers.GetValues(CorrelationContext.HeaderName));
        Assert.NotEqual(incoming, returned);
        Assert.True(CorrelationId.IsValid(returned));
    }

    [Fact]
    public async Task Error_responses_carry_the_id_too()
    {
        using var response = await SendAsync("/throw", "failing-request-1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("failing-request-1", Assert.Single(response.Headers.GetValues(CorrelationContext.HeaderName)));
    }

    [Fact]
    public async Task Log_lines_written_during_the_request_carry_the_id()
    {
        using var response = await SendAsync("/log", "log-line-check-42");
        response.EnsureSuccessStatusCode();

        // The sinks write from a background queue (Serilog.Sinks.Async): the line arrives shortly after the response.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string[] lines;
        while (true)
        {
            lines = (await ReadLogAsync()).Split('\n').Where(l => l.Contains("Handled the log endpoint")).ToArray();
            if (lines.Length > 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(50);
        }

        var line = Assert.Single(lines);
        Assert.Contains("log-line-check-42", line);
        Assert.Contains($"[{TestApp.ServiceName}]", line);
    }

    private async Task<string> ReadLogAsync()
    {
        var logFile = Directory.GetFiles(_logDirectory, $"{TestApp.ServiceName}-*.log").SingleOrDefault();
        if (logFile is null)
        {
            return string.Empty;
        }

        await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private Task<HttpResponseMessage> SendAsync(string path, string? incoming)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (incoming is not null)
        {
            request.Headers.TryAddWithoutValidation(CorrelationContext.HeaderName, incoming);
        }

        return _client.SendAsync(request);
    }
}
