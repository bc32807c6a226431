using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Hosting.Orchestration;
using SaasAssistants.AppHost.Hosting.Processes;
using SaasAssistants.AppHost.Hosting.Servers;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>A resource that cannot start, exits, or stays unhealthy fails the whole application, and says why.</summary>
public sealed class ResourceFailureTests
{
    [Fact]
    public async Task A_process_that_exits_is_Exited_with_its_exit_code_and_last_log_lines()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        builder.AddExecutable("crasher", "sh", ".", "-c", "echo starting up; echo 'config value X is missing' >&2; exit 3");

        await using var app = builder.Build();
        var failure = await FirstFailureAsync(app);

        Assert.Equal("crasher", failure.ResourceName);
        Assert.Equal(KnownResourceStates.Exited, failure.State);
        Assert.Equal(3, failure.ExitCode);
        Assert.Contains("config value X is missing", failure.LastLogLines);
        Assert.Contains("Resource 'crasher' (Executable) is Exited with exit code 3", failure.Describe());
        Assert.Contains("config value X is missing", failure.Describe());
    }

    [Fact]
    public async Task A_project_that_does_not_exist_FailedToStart()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        builder.AddProject("ghost", "../NoSuchService/NoSuchService.csproj").WithHttpEndpoint();

        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync());

        Assert.Equal(KnownResourceStates.FailedToStart, error.Failure.State);
        Assert.Null(error.Failure.ExitCode);
        Assert.Contains("NoSuchService.csproj does not exist", error.Message);
    }

    [Fact]
    public async Task A_command_that_does_not_exist_FailedToStart()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        builder.AddExecutable("nothing", "no-such-command-anywhere", ".");

        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync());

        Assert.Equal(KnownResourceStates.FailedToStart, error.Failure.State);
        Assert.Contains("no-such-command-anywhere", error.Message);
    }

    [Fact]
    public async Task A_failure_stops_every_other_resource()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        builder.AddExecutable("sleeper", "sleep", ".", "600");
        var crasher = builder.AddExecutable("crasher", "sh", ".", "-c", "sleep 1; exit 1");
        builder.AddExecutable("waiting", "sleep", ".", "600").WaitForCompletion(crasher);

        await using var app = builder.Build();
        var starting = app.StartAsync();
        var sleeper = await app.ResourceNotifications.WaitForResourceAsync("sleeper", s => s.ProcessId is not null);
        var sleeperProcesses = ProcessTree.Collect(sleeper.ProcessId!.Value);

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => starting);

        Assert.Equal("crasher", error.Failure.ResourceName);
        Assert.Equal(KnownResourceStates.Exited, error.Failure.State);
        Assert.Equal(KnownResourceStates.Waiting, app.ResourceNotifications.GetSnapshot("waiting").State);
        Assert.Equal(KnownResourceStates.Exited, app.ResourceNotifications.GetSnapshot("sleeper").State);
        Assert.DoesNotContain(sleeperProcesses, ProcessTree.IsAlive);
    }

    /// <summary>A process without health check is ready once running, so it may fail during StartAsync or just after.</summary>
    private static async Task<ResourceFailure> FirstFailureAsync(DistributedApplication app)
    {
        try
        {
            await app.StartAsync();
            return await app.Failure.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (DistributedApplicationException error)
        {
            return error.Failure;
        }
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_after_the_startup_timeout()
    {
        var closedPort = PortAvailability.GetFreePort();
        var builder = DistributedApplicationTestingBuilder.CreateEmpty($"--ConnectionStrings:redis=127.0.0.1:{closedPort}", "--AppHost:StartupTimeoutSeconds=2");
        builder.AddRedis("redis");

        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync());

        Assert.Equal("redis", error.Failure.ResourceName);
        Assert.Equal(KnownResourceStates.Running, error.Failure.State);
        Assert.Contains("not healthy 2s after it started", error.Message);
        Assert.NotEqual(HealthStatus.Healthy, app.ResourceNotifications.GetSnapshot("redis").Health);
    }
}
