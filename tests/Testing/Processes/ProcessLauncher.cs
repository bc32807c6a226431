using System.Collections.Concurrent;
using System.Diagnostics;

namespace SaasAssistants.Testing.Processes;

/// <summary>
/// Starts every child process from one dedicated thread that lives as long as this process.
/// Why: children are started with a parent-death signal (PR_SET_PDEATHSIG via setpriv), and Linux sends it when the
/// *thread* that forked the child ends, not the process. Thread-pool threads come and go, so forking from one of them
/// would kill the child at a random moment.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> Requests = new();

    static ProcessLauncher()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "child-process-launcher" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((startInfo, started));
        return started.Task;
    }

    private static void Loop()
    {
        foreach (var (startInfo, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
                process.Start();
                started.SetResult(process);
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
