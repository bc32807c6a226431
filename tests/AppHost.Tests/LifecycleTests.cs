using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        string adminToken;
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

            // The admin token: generated into the state folder's secrets.json (owner-only), named by the summary, and
            // the one the message-processor's admin action checks.
            adminToken = Secret("AdminToken");
            Assert.Matches("^[A-Za-z0-9_-]{32}$", adminToken);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SecretsPath));
            var adminLine = AdminTokenLine.Match(first.SummaryValue("admin token"));
            Assert.True(adminLine.Success, first.SummaryValue("admin token"));
            Assert.Equal(Path.GetFullPath(SecretsPath), Path.GetFullPath(adminLine.Groups["file"].Value));
            var replay = adminLine.Groups["replay"].Value;
            await AssertAdminTokenAsync(replay, adminToken);

            first.Signal("TERM");
            await first.WaitForExitAsync(StopTimeout);
            // Stopping is not failing: nothing is reported as a resource that exited with an error.
            Assert.DoesNotContain("exited with code", first.Output, StringComparison.Ordinal);
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
        // Generated once: the next run keeps the token, and the message-processor still takes it.
        Assert.Equal(adminToken, Secret("AdminToken"));
        await AssertAdminTokenAsync(AdminTokenLine.Match(second.SummaryValue("admin token")).Groups["replay"].Value, adminToken);
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

    private static readonly Regex AdminTokenLine = new(@"^AdminToken in (?<file>\S+)\s+\(X-Admin-Token for POST (?<replay>\S+/admin/dead-letters/replay)\)$");

    private string SecretsPath => Path.Combine(_arguments.StateDirectory, "secrets.json");

    private string Secret(string name)
    {
        using var secrets = JsonDocument.Parse(File.ReadAllText(SecretsPath));
        return secrets.RootElement.GetProperty(name).GetString()!;
    }

    /// <summary>
    /// Without the token, or with another, the replay is refused (401); with it, the request gets past the check to the
    /// argument check (max=0 is out of range: 400), so nothing is replayed.
    /// </summary>
    private static async Task AssertAdminTokenAsync(string replayUrl, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        async Task<HttpStatusCode> PostAsync(string? header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, replayUrl + "?max=0");
            if (header is not null)
            {
                request.Headers.Add("X-Admin-Token", header);
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(token[..^1] + (token[^1] == 'a' ? 'b' : 'a')));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(token));
    }

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
