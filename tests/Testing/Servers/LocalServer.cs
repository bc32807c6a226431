using SaasAssistants.Testing.Processes;

namespace SaasAssistants.Testing.Servers;

/// <summary>
/// A server (PostgreSQL, Redis, RabbitMQ) run as a child process with its data in a folder of ours.
/// <see cref="LaunchAsync"/> only starts the process (the orchestrator watches health itself);
/// <see cref="StartAsync"/> also waits until it answers (what tests want).
/// </summary>
public abstract class LocalServer : IAsyncDisposable
{
    private const int TailLength = 40;
    private readonly Queue<string> _tail = new();
    private readonly Action<LogLine>? _output;

    protected LocalServer(string name, Action<LogLine>? output)
    {
        Name = name;
        _output = output;
    }

    public string Name { get; }

    /// <summary>The server's main process, once launched.</summary>
    public ManagedProcess? Process { get; private set; }

    /// <summary>The ports this server listens on (checked to be free before launching).</summary>
    public abstract IReadOnlyList<int> Ports { get; }

    public async Task LaunchAsync(CancellationToken cancellationToken)
    {
        foreach (var port in Ports)
        {
            PortAvailability.EnsureFree(Name, port);
        }

        await PrepareAsync(cancellationToken).ConfigureAwait(false);
        Process = await ManagedProcess.StartAsync(CreateProcessSpec(), Write).ConfigureAwait(false);
    }

    public abstract Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    /// <summary>Launches and waits until healthy; throws with the last output lines if it exits or times out.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + timeout;
        while (!await IsHealthyAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Process!.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"{Name} exited with code {Process.Exited.Result} while starting.{Environment.NewLine}{LastLines()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not become healthy within {timeout.TotalSeconds:0}s.{Environment.NewLine}{LastLines()}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Graceful stop (then SIGKILL after the grace period); immediate SIGKILL when not graceful.</summary>
    public virtual async Task StopAsync(bool graceful = true)
    {
        if (Process is { } process)
        {
            await process.StopAsync(graceful).ConfigureAwait(false);
        }
    }

    /// <summary>Immediate, synchronous SIGKILL of everything this server runs (for process exit handlers).</summary>
    public virtual void Kill() => Process?.Kill();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    public string LastLines()
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail);
        }
    }

    /// <summary>Creates folders and configuration, initialises data on first use.</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract ProcessSpec CreateProcessSpec();

    /// <summary>Output of helper commands and of the server itself: kept for errors, and passed on.</summary>
    protected void Write(LogLine line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line.Text);
            while (_tail.Count > TailLength)
            {
                _tail.Dequeue();
            }
        }

        _output?.Invoke(line);
    }

    protected void Write(string text) => Write(new LogLine(DateTimeOffset.UtcNow, text, IsError: false));

    /// <summary>Runs a setup command (initdb, chown); throws with its output when it fails.</summary>
    protected async Task RunSetupCommandAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var exitCode = await ManagedProcess.RunAsync(spec, Write, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{spec.DisplayCommand}` failed with exit code {exitCode}.{Environment.NewLine}{LastLines()}");
        }
    }
}
