using Aspire.Hosting.Testing;
using SaasAssistants.AppHost.Tests.Support;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>
/// A second AppHost on a state folder in use stops before it reads or changes anything there, naming the first one;
/// a reset keeps the lock, so a third still cannot slip in.
/// </summary>
public sealed class StateFolderLockTests : IDisposable
{
    private readonly AppHostArguments _arguments = AppHostArguments.InNewStateDirectory();

    [Fact]
    public async Task A_second_AppHost_on_the_same_state_folder_stops_at_once_and_names_the_first()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        // The first one holds the folder from the moment its Program reads the state, started or not; --reset empties it
        // but keeps the lock.
        var first = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(_arguments.ToArgs("--reset"), timeout.Token);
        var secrets = Path.Combine(_arguments.StateDirectory, "secrets.json");
        var before = await File.ReadAllTextAsync(secrets, timeout.Token);

        // The second one as people start it: its own process, from the build output.
        var (exitCode, output) = await AppHostProcess.RunToExitAsync(_arguments, TimeSpan.FromMinutes(1), "--reset");

        Assert.Equal(1, exitCode);
        Assert.Contains($"Another AppHost (pid {Environment.ProcessId}) is running with the state folder {_arguments.StateDirectory}", output);
        // A message, not a crash: no stack trace.
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        // Its --reset deleted nothing: the first one's secrets are as they were.
        Assert.Equal(before, await File.ReadAllTextAsync(secrets, timeout.Token));
        GC.KeepAlive(first);
    }

    public void Dispose() => _arguments.DeleteStateDirectory();
}
