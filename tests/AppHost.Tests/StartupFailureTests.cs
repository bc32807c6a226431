using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using SaasAssistants.AppHost.Tests.Support;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>
/// A server that cannot start says why, in its own words: a test's start ends at once (Aspire would otherwise keep
/// everything after it waiting, as run mode expects a restart from the dashboard, and the test would see only a
/// timeout), and ./run.sh prints it on the console.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly AppHostArguments _arguments = AppHostArguments.InNewStateDirectory();

    [Fact]
    public async Task PostgreSQL_on_a_taken_port_fails_the_start_with_its_bind_error()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, _arguments.Ports["postgres"]);
        squatter.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(_arguments.ToArgs(), timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartUntilHealthyAsync(["gateway"], timeout.Token));

        Assert.False(timeout.IsCancellationRequested, "The start should fail when PostgreSQL exits, not at the timeout.");
        Assert.Contains("postgres exited with code 1", failure.Message);
        Assert.Contains("could not bind IPv4 address \"127.0.0.1\": Address already in use", failure.Message);
        Assert.Contains("- migrator: Waiting", failure.Message);
    }

    [Fact]
    public async Task As_run_sh_runs_it_a_server_that_exits_is_reported_on_the_console_with_its_log()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, _arguments.Ports["postgres"]);
        squatter.Start();

        using var appHost = AppHostProcess.Launch(_arguments);
        await appHost.WaitForOutputAsync("Mend the cause", TimeSpan.FromMinutes(2));

        var output = appHost.Output;
        Assert.Contains("postgres exited with code 1. Whatever waits for it will not start.", output);
        Assert.Contains("    | ", output);
        Assert.Contains("could not bind IPv4 address \"127.0.0.1\": Address already in use", output);
        Assert.Contains($"restart it from the dashboard (http://localhost:{appHost.DashboardPort})", output);
        // No start-up summary: the services never got healthy.
        Assert.DoesNotContain("  state folder ", output);

        appHost.Signal("TERM");
        await appHost.WaitForExitAsync(TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _arguments.DeleteStateDirectory();
}
