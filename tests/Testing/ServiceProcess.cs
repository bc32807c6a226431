using System.Globalization;
using SaasAssistants.Testing.Processes;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Testing;

/// <summary>
/// One of our services as a real process: its build output (<c>dotnet {Project}/bin/{Configuration}/{tfm}/{Project}.dll</c>,
/// built because the test project references it) on a free port, with the given settings as environment variables,
/// returned once <c>/health</c> answers 200. Its output is kept for failure messages; disposing stops it (SIGTERM, then
/// SIGKILL). For tests that need a process of its own, e.g. to kill it; the whole system is the AppHost tests' job.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly ManagedProcess _process;
    private readonly List<LogLine> _lines;

    private ServiceProcess(ManagedProcess process, List<LogLine> lines, Uri baseAddress)
    {
        _process = process;
        _lines = lines;
        BaseAddress = baseAddress;
    }

    public int Pid => _process.Pid;

    public Uri BaseAddress { get; }

    public Task<int> Exited => _process.Exited;

    /// <summary>The last <paramref name="count"/> lines of its console output.</summary>
    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lines)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).Select(l => l.Text).ToList();
        }
    }

    /// <summary>Starts <paramref name="project"/> (e.g. "MessageProcessor") and waits until it is healthy.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string?> settings, TimeSpan? timeout = null)
    {
        var port = PortAvailability.GetFreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var assembly = AssemblyPath(project);
        var _lines = new List<LogLine>();
        var _process = await ManagedProcess.StartAsync(
            new ProcessSpec(DotnetHost.Path, [assembly])
            {
                // The project folder is the content root, as under the AppHost (appsettings.json).
                WorkingDirectory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(assembly)!, "..", "..", "..")),
                Environment = environment,
                // Settings of the test process (connection strings, OTLP) must not leak into the service.
                RemoveInheritedPrefixes = ["ConnectionStrings__", "OTEL_", "ASPNETCORE_", "DOTNET_ENVIRONMENT"],
            },
            line =>
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            });
        var service = new ServiceProcess(_process, _lines, baseAddress);
        try
        {
            await service.WaitUntilHealthyAsync(timeout ?? TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The service exited with code {_process.Exited.Result} while starting:\n{string.Join('\n', Tail(40))}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The service was not healthy within {timeout.TotalSeconds:0} s:\n{string.Join('\n', Tail(40))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The project's build output next to ours: same configuration and target framework as this test assembly.</summary>
    private static string AssemblyPath(string project)
    {
        // {repo}/tests/{TestProject}/bin/{Configuration}/{tfm}/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, project, "bin", configuration, framework, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"No build output of {project} at {path} (does the test project reference it?).", path);
    }
}
