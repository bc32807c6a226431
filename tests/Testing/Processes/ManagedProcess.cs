using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SaasAssistants.Testing.Processes;

/// <summary>
/// A child process that cannot outlive us: it runs in a session of its own (setsid), so its whole tree can be found
/// and signalled, and with a parent-death signal (setpriv --pdeathsig), so the kernel stops it even if the AppHost is
/// killed with SIGKILL. Output is delivered line by line.
/// </summary>
public sealed partial class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _stopping = new(1, 1);

    private ManagedProcess(Process process, ProcessSpec spec)
    {
        _process = process;
        _spec = spec;
        Pid = process.Id;
    }

    public int Pid { get; }

    /// <summary>Completes with the exit code (128 + signal number when killed by a signal).</summary>
    public Task<int> Exited => _exited.Task;

    public static async Task<ManagedProcess> StartAsync(ProcessSpec _spec, Action<LogLine> output)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _spec.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };

        // setsid: own session and process group. setpriv: parent-death signal, optionally another user.
        startInfo.ArgumentList.Add("/usr/bin/setpriv");
        startInfo.ArgumentList.Add($"--pdeathsig={NativeMethods.SignalName(_spec.StopSignal)}");
        if (_spec.RunAsUser is { } user && NativeMethods.IsRoot)
        {
            startInfo.ArgumentList.Add($"--reuid={user}");
            startInfo.ArgumentList.Add($"--regid={user}");
            startInfo.ArgumentList.Add("--init-groups");
        }

        startInfo.ArgumentList.Add("--");
        startInfo.ArgumentList.Add(_spec.FileName);
        foreach (var argument in _spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (_spec.RemoveInheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                startInfo.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in _spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var _process = await ProcessLauncher.StartAsync(startInfo).ConfigureAwait(false);
        var managed = new ManagedProcess(_process, _spec);
        _process.OutputDataReceived += (_, e) => Deliver(e.Data, isError: false);
        _process.ErrorDataReceived += (_, e) => Deliver(e.Data, isError: true);
        _process.Exited += (_, _) => managed.OnExited();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
        if (_process.HasExited)
        {
            managed.OnExited();
        }

        return managed;

        void Deliver(string? line, bool isError)
        {
            if (line is not null)
            {
                output(new LogLine(DateTimeOffset.UtcNow, AnsiEscape().Replace(line, string.Empty), isError));
            }
        }
    }

    /// <summary>Runs a short command (initdb, chown) to completion and returns its exit code.</summary>
    public static async Task<int> RunAsync(ProcessSpec _spec, Action<LogLine> output, CancellationToken cancellationToken)
    {
        await using var _process = await StartAsync(_spec, output).ConfigureAwait(false);
        using var registration = cancellationToken.Register(() => _process.Kill());
        return await _process.Exited.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the process and everything it started: the stop signal to the process, then after the grace period
    /// SIGKILL to every process of its tree that is still there. Safe to call more than once and after it exited.
    /// </summary>
    public async Task StopAsync(bool graceful = true)
    {
        await _stopping.WaitAsync().ConfigureAwait(false);
        try
        {
            var tree = ProcessTree.Collect(Pid);
            if (graceful && !Exited.IsCompleted)
            {
                NativeMethods.Kill(Pid, _spec.StopSignal);
                await Task.WhenAny(Exited, Task.Delay(_spec.StopGracePeriod)).ConfigureAwait(false);
            }

            // Whatever is left of the tree (including helpers that outlived their parent) gets SIGKILL.
            tree = tree.Concat(ProcessTree.Collect(Pid)).Distinct().ToList();
            await WaitForTreeToEndAsync(tree, Exited.IsCompleted ? TimeSpan.FromSeconds(1) : TimeSpan.Zero).ConfigureAwait(false);
            if (tree.Any(ProcessTree.IsAlive))
            {
                NativeMethods.Kill(-Pid, NativeMethods.SIGKILL);
                ProcessTree.Signal(tree, NativeMethods.SIGKILL);
                await WaitForTreeToEndAsync(tree, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }

            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
        finally
        {
            _stopping.Release();
        }
    }

    /// <summary>Immediate SIGKILL of the whole tree, synchronously (for process exit handlers).</summary>
    public void Kill()
    {
        var tree = ProcessTree.Collect(Pid);
        NativeMethods.Kill(-Pid, NativeMethods.SIGKILL);
        ProcessTree.Signal(tree, NativeMethods.SIGKILL);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static async Task WaitForTreeToEndAsync(IReadOnlyList<ProcessIdentity> tree, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (tree.Any(ProcessTree.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private void OnExited()
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        // Let the output readers drain the last lines (they often explain why it exited).
        _ = Task.Run(async () =>
        {
            await Task.Delay(200).ConfigureAwait(false);
            _exited.TrySetResult(_process.ExitCode);
        });
    }

    [GeneratedRegex(@"\x1B\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex AnsiEscape();
}
