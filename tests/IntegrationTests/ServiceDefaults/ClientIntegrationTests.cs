using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;
using StackExchange.Redis;
using Xunit;

namespace SaasAssistants.IntegrationTests.ServiceDefaults;

/// <summary>
/// Aspire's client integrations as the services wire them (AddSaasDatabase, the gateway's AddRedisClient, AddEventBus)
/// against the test run's real servers, seen through /health.
/// </summary>
public sealed class ClientIntegrationTests : IAsyncLifetime
{
    // The names Aspire's integrations give their checks.
    private const string PostgresCheck = "PostgreSql";
    private const string RedisCheck = "StackExchange.Redis";
    private const string RabbitMQCheck = "RabbitMQ.Client";

    private readonly string _logDirectory = Directory.CreateTempSubdirectory("servicedefaults-clients-").FullName;
    private WebApplication? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_logDirectory, recursive: true);
    }

    [Fact]
    public async Task Clients_work_and_report_healthy()
    {
        var servers = TestServers.Shared;
        var app = await StartAsync(
            await servers.GetPostgresConnectionStringAsync(),
            await servers.GetRedisConnectionStringAsync(),
            await servers.GetRabbitMQConnectionStringAsync());

        await using (var command = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT current_setting('application_name')"))
        {
            Assert.Equal("servicedefaults-client-tests", await command.ExecuteScalarAsync());
        }

        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await redis.StringSetAsync("servicedefaults-tests", "ok");
        Assert.Equal("ok", (string?)await redis.StringGetAsync("servicedefaults-tests"));

        var (status, checks) = await Eventually(app, expected: "Healthy");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", checks[PostgresCheck]);
        Assert.Equal("Healthy", checks[RedisCheck]);
        Assert.Equal("Healthy", checks[RabbitMQCheck]);
    }

    [Fact]
    public async Task Database_commands_become_spans_only_inside_a_trace()
    {
        var servers = TestServers.Shared;
        var app = await StartAsync(
            await servers.GetPostgresConnectionStringAsync(),
            await servers.GetRedisConnectionStringAsync(),
            await servers.GetRabbitMQConnectionStringAsync());
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var marker = Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using var testSource = new ActivitySource("SaasAssistants.Tests.Tracing");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "SaasAssistants.Tests.Tracing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(marker) == true))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // A background poll: no trace around it.
        Activity.Current = null;
        await using (var command = dataSource.CreateCommand($"SELECT 'poll-{marker}'"))
        {
            await command.ExecuteScalarAsync();
        }

        using (var request = testSource.StartActivity("request"))
        {
            Assert.NotNull(request);
            await using var command = dataSource.CreateCommand($"SELECT 'request-{marker}'");
            await command.ExecuteScalarAsync();
        }

        var span = Assert.Single(spans);
        Assert.Contains(span.TagObjects, tag => tag.Value?.ToString()?.Contains($"request-{marker}") == true);
        Assert.Equal("request", span.Parent?.OperationName);
    }

    [Fact]
    public async Task Unreachable_servers_do_not_stop_the_service_and_make_it_unhealthy()
    {
        var app = await StartAsync(
            $"Host=127.0.0.1;Port={PortAvailability.GetFreePort()};Username=x;Password=y;Database=z;Timeout=2",
            $"127.0.0.1:{PortAvailability.GetFreePort()},connectTimeout=500",
            $"amqp://guest:guest@127.0.0.1:{PortAvailability.GetFreePort()}");

        var (status, checks) = await Eventually(app, expected: "Unhealthy");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", checks[PostgresCheck]);
        Assert.Equal("Unhealthy", checks[RedisCheck]);
        Assert.Equal("Unhealthy", checks[RabbitMQCheck]);
        Assert.Equal("Healthy", checks["self"]);
    }

    private async Task<WebApplication> StartAsync(string postgres, string redis, string rabbitMQ)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "servicedefaults-client-tests",
            ["Logging:Directory"] = _logDirectory,
            ["ConnectionStrings:saas"] = postgres,
            ["ConnectionStrings:redis"] = redis,
            ["ConnectionStrings:messaging"] = rabbitMQ,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddSaasDatabase();
        builder.AddRedisClient("redis", configureOptions: options => options.AbortOnConnectFail = false);
        builder.AddEventBus("messaging");

        _app = builder.Build();
        _app.MapDefaultEndpoints();
        await _app.StartAsync();
        return _app;
    }

    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks)> Eventually(WebApplication app, string expected)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.GetProperty("status").GetString() == expected || DateTime.UtcNow > deadline)
            {
                var checks = body.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetString()!);
                return (response.StatusCode, checks);
            }

            await Task.Delay(200);
        }
    }
}
