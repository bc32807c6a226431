using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using SaasAssistants.AppHost.Tests.Support;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>
/// The AppHost as ./run.sh runs it: what the servers stored is there after a restart (same state folder), and neither
/// SIGTERM (a supervisor, Ctrl+C's sibling) nor SIGKILL of the AppHost leaves a process (epmd included) or a bound port.
/// </summary>
public sealed class LifecycleTests : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    // DCP's controller process winds down for some seconds after the AppHost has gone (10-20 s seen on a loaded
    // 2-core machine); it must be gone too, but it may take that long.
    private static readonly TimeSpan LeftoverTimeout = TimeSpan.FromSeconds(45);
    private readonly AppHostArguments _arguments = AppHostArguments.InNewStateDirectory();

    [Fact]
    public async Task Data_survives_a_restart_and_neither_SIGTERM_nor_SIGKILL_leaves_a_process_or_port_behind()
    {
        using (var first = await AppHostProcess.StartAsync(_arguments))
        {
            await PostgresAsync("CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)");
            Assert.StartsWith("+OK", await RedisCommands.SendAsync(_arguments.Ports["redis"], "SET kept-key kept-value"));
            using (var created = await RabbitMQAsync(HttpMethod.Put, """{"durable":true}"""))
            {
                Assert.True(created.IsSuccessStatusCode, $"creating the queue: {created.StatusCode}");
            }

            var processes = first.Processes();
            Assert.Contains(processes, p => p.CommandLine.Contains("epmd", StringComparison.Ordinal));
            Assert.Contains(processes, p => p.CommandLine.Contains("postgres", StringComparison.Ordinal));
            // The services run from their build output: no `dotnet run` wrapper (an MSBuild evaluation and ~100 MB each).
            Assert.Contains(processes, p => p.CommandLine.Contains("Gateway/bin/", StringComparison.Ordinal));
            Assert.DoesNotContain(processes, p => p.CommandLine.Contains("dotnet run", StringComparison.Ordinal));

            // Anonymous (the launch profile's Development): the summary's link is the dashboard itself, and it opens.
            var dashboard = first.SummaryValue("dashboard");
            Assert.Equal($"http://localhost:{first.DashboardPort}", dashboard);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(dashboard)).StatusCode);
            }

            first.Signal("TERM");
            await first.WaitForExitAsync(StopTimeout);
            await ProcessInfo.AssertAllGoneAsync(processes, LeftoverTimeout);
            ProcessInfo.AssertPortsFree(first.Ports);
        }

        using var second = await AppHostProcess.StartAsync(_arguments, anonymousDashboard: false);
        Assert.Equal(42, await PostgresScalarAsync("SELECT value FROM kept"));

        // Not anonymous: the dashboard sends a stranger to its login page; the summary's link signs in.
        var login = second.SummaryValue("dashboard");
        Assert.StartsWith($"http://localhost:{second.DashboardPort}/login?t=", login, StringComparison.Ordinal);
        using (var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) })
        {
            var refused = await stranger.GetAsync($"http://localhost:{second.DashboardPort}/");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/login", refused.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using (var browser = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            var signedIn = await browser.GetAsync(login);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Equal($"http://localhost:{second.DashboardPort}/", signedIn.RequestMessage?.RequestUri?.ToString());
        }

        Assert.Contains("kept-value", await RedisCommands.SendAsync(_arguments.Ports["redis"], "GET kept-key"));
        using (var found = await RabbitMQAsync(HttpMethod.Get))
        {
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        }

        var running = second.Processes();
        second.Signal("KILL"); // no handler of ours runs: DCP, which watches the AppHost, must take everything down
        await ProcessInfo.AssertAllGoneAsync(running, LeftoverTimeout);
        ProcessInfo.AssertPortsFree(second.Ports);
    }

    public void Dispose() => _arguments.DeleteStateDirectory();

    private string OwnerConnectionString()
    {
        using var secrets = JsonDocument.Parse(File.ReadAllText(Path.Combine(_arguments.StateDirectory, "secrets.json")));
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _arguments.Ports["postgres"],
            Username = "postgres",
            Password = secrets.RootElement.GetProperty("PostgresPassword").GetString(),
            Database = "saas",
            Pooling = false,
        }.ConnectionString;
    }

    private async Task PostgresAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> PostgresScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(OwnerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<HttpResponseMessage> RabbitMQAsync(HttpMethod method, string? body = null)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var request = new HttpRequestMessage(method, $"http://127.0.0.1:{_arguments.Ports["messaging-management"]}/api/queues/%2F/kept-queue");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }
}
