using SaasAssistants.AppHost.Hosting.Processes;
using SaasAssistants.AppHost.Hosting.Servers;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>A started resource, as the orchestrator watches and stops it.</summary>
/// <param name="Completion">Completes with the exit code when it ends; never, for servers given by connection string.</param>
/// <param name="StopAsync">Stops it (graceful: stop signal first; otherwise SIGKILL at once).</param>
/// <param name="Kill">Synchronous SIGKILL of everything it runs (for process exit handlers).</param>
public sealed record ResourceRun(Task<int> Completion, Func<bool, Task> StopAsync, Action Kill)
{
    public int? ProcessId { get; init; }

    /// <summary>Nothing to run or stop (a server that exists elsewhere, a database inside a server).</summary>
    public static ResourceRun Nothing() => new(new TaskCompletionSource<int>().Task, _ => Task.CompletedTask, () => { });

    public static ResourceRun For(ManagedProcess process) =>
        new(process.Exited, process.StopAsync, process.Kill) { ProcessId = process.Pid };

    public static ResourceRun For(LocalServer server) =>
        new(server.Process!.Exited, server.StopAsync, server.Kill) { ProcessId = server.Process.Pid };
}
