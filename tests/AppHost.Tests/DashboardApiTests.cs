using System.Net.Http.Json;
using System.Text.Json;
using SaasAssistants.AppHost.Hosting;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

public sealed class DashboardApiTests
{
    [Fact]
    public async Task Resources_api_lists_each_resource_with_type_state_health_endpoints_and_exit_code()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        builder.AddExecutable("echoer", "sh", ".", "-c", "echo hello from echoer; exec sleep 600");
        builder.AddExecutable("web", "sh", ".", "-c", "exec python3 -m http.server --bind 127.0.0.1 $PORT").WithHttpEndpoint(env: "PORT");
        await using var app = builder.Build();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = app.DashboardUrl };

        var resources = await http.GetFromJsonAsync<JsonElement[]>("/api/resources");

        Assert.NotNull(resources);
        Assert.Equal(["echoer", "web"], resources.Select(r => r.GetProperty("name").GetString()));
        var echoer = resources[0];
        Assert.Equal("Executable", echoer.GetProperty("type").GetString());
        Assert.Equal("Running", echoer.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, echoer.GetProperty("health").ValueKind);
        Assert.Equal(JsonValueKind.Array, echoer.GetProperty("endpoints").ValueKind);
        Assert.Equal(JsonValueKind.Null, echoer.GetProperty("exitCode").ValueKind);
        Assert.Equal([app.GetEndpoint("web").ToString().TrimEnd('/')], resources[1].GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Logs_api_returns_recent_lines_and_the_page_is_served()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        builder.AddExecutable("echoer", "sh", ".", "-c", "echo hello from echoer; echo oops >&2; exec sleep 600");
        await using var app = builder.Build();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = app.DashboardUrl };

        var lines = await EventuallyAsync(async () =>
        {
            var result = await http.GetFromJsonAsync<JsonElement[]>("/api/resources/echoer/logs");
            return result!.Length >= 2 ? result : null;
        });
        var page = await http.GetStringAsync("/");

        // stdout and stderr are separate pipes: their relative order is not guaranteed.
        Assert.Contains(lines, l => l.GetProperty("text").GetString() == "hello from echoer" && !l.GetProperty("isError").GetBoolean());
        Assert.Contains(lines, l => l.GetProperty("text").GetString() == "oops" && l.GetProperty("isError").GetBoolean());
        Assert.Contains("SaasAssistants AppHost", page);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/api/resources/nobody/logs")).StatusCode);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> attempt)
        where T : class
    {
        for (var i = 0; i < 50; i++)
        {
            if (await attempt() is { } result)
            {
                return result;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException();
    }
}
