using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>
/// A server that cannot start ends the whole start at once, with its own words: Aspire would otherwise keep everything
/// after it waiting (run mode expects a restart from the dashboard), and a test would see only a timeout.
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

    public void Dispose() => _arguments.DeleteStateDirectory();
}
