using SaasAssistants.Testing.Processes;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// N worker processes (this program again, with <see cref="WorkerProcess.Argument"/>), started with tests/Testing's
/// process code: each in its own session with a parent-death signal, so none outlives the benchmark even if it is
/// killed, and each stopped by its own pid (SIGTERM, then SIGKILL after a grace period). Their output goes to
/// <see cref="WorkerOutput"/>.
/// </summary>
public sealed class WorkerFleet : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly List<ManagedProcess> _processes = [];
    private readonly string _gate;
    private readonly List<string> _claimToStartFiles = [];

    private WorkerFleet(string gate) => _gate = gate;

    /// <summary>Every worker's claim-to-start measurements (ms), once the fleet was disposed (the workers write them as they stop).</summary>
    public IEnumerable<double> ClaimToStartMilliseconds => _claimToStartFiles.SelectMany(ClaimToStartRecorder.Read);

    public IEnumerable<int> Pids => _processes.Select(p => p.Pid);

    public WorkerOutput Output { get; } = new();

    /// <summary>Starts the workers and returns once every one of them is ready to claim (and waiting at the gate).</summary>
    public static async Task<WorkerFleet> StartAsync(int count, IReadOnlyDictionary<string, string?> environment, string folder, CancellationToken cancellationToken)
    {
        var fleet = new WorkerFleet(Path.Combine(folder, $"gate-{Guid.NewGuid():N}"));
        try
        {
            var ready = new List<Task>();
            for (var i = 1; i <= count; i++)
            {
                var name = $"worker{i}";
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var claimToStartFile = Path.Combine(folder, $"claim-to-start-{Guid.NewGuid():N}.txt");
                fleet._claimToStartFiles.Add(claimToStartFile);
                var spec = SelfCommand(environment
                    .Append(new(EnvironmentName(WorkerProcess.GateSetting), fleet._gate))
                    .Append(new(EnvironmentName(ClaimToStartRecorder.FileSetting), claimToStartFile)));
                var process = await ManagedProcess.StartAsync(spec, line =>
                {
                    if (line.Text == WorkerProcess.ReadyLine)
                    {
                        signal.TrySetResult();
                    }
                    else
                    {
                        fleet.Output.Write(name, line.Text);
                    }
                });
                fleet._processes.Add(process);
                ready.Add(WaitReadyAsync(name, signal.Task, process));
            }
            await Task.WhenAll(ready).WaitAsync(ReadyTimeout, cancellationToken);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lets every worker start its host (they poll for the gate file every millisecond).</summary>
    public void Open() => File.WriteAllText(_gate, string.Empty);

    /// <summary>Completes when any worker exits on its own (they run until stopped), with its exit code.</summary>
    public async Task<int> AnyExitedAsync() => await await Task.WhenAny(_processes.Select(p => p.Exited));

    public async ValueTask DisposeAsync()
    {
        // A graceful stop (SIGTERM): the engine drains, as at a deployment; SIGKILL only after the grace period.
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
        File.Delete(_gate);
    }

    private static string EnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);

    private static async Task WaitReadyAsync(string name, Task ready, ManagedProcess process)
    {
        if (await Task.WhenAny(ready, process.Exited) != ready)
        {
            throw new InvalidOperationException($"{name} exited with code {process.Exited.Result} before it was ready.");
        }
    }

    private static ProcessSpec SelfCommand(IEnumerable<KeyValuePair<string, string?>> environment)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        // Run as `dotnet TaskThroughput.dll` the process path is dotnet's, and the program is the assembly.
        IReadOnlyList<string> arguments = Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? [typeof(WorkerFleet).Assembly.Location, WorkerProcess.Argument]
            : [WorkerProcess.Argument];
        return new ProcessSpec(path, arguments)
        {
            Environment = environment.ToDictionary(),
            StopGracePeriod = TimeSpan.FromSeconds(30),
        };
    }
}
