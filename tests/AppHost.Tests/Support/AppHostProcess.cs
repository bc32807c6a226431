using System.Diagnostics;
using System.Globalization;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;
using Xunit;

namespace SaasAssistants.AppHost.Tests.Support;

/// <summary>
/// The built AppHost as its own process (<c>dotnet AppHost/bin/.../AppHost.dll</c>), as ./run.sh starts it, with the
/// dashboard, on free ports and a given state folder; for what only a real process shows: signals, leftovers, restarts.
/// </summary>
internal sealed class AppHostProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly Process _process;
    private readonly List<string> _output = [];

    private AppHostProcess(Process process, AppHostArguments arguments, int dashboardPort)
    {
        _process = process;
        Arguments = arguments;
        DashboardPort = dashboardPort;
    }

    public AppHostArguments Arguments { get; }

    public int DashboardPort { get; }

    public int Pid => _process.Id;

    /// <summary>Every port it opens: the servers', the services', the dashboard's three.</summary>
    public IEnumerable<int> Ports => Arguments.Ports.Values.Concat([DashboardPort, DashboardPort + 1, DashboardPort + 2]);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts it and returns once it printed its start-up summary (everything healthy).</summary>
    /// <param name="anonymousDashboard">As the launch profile sets it (Development); false: the dashboard wants its login link.</param>
    public static async Task<AppHostProcess> StartAsync(AppHostArguments arguments, bool anonymousDashboard = true)
    {
        var appHost = Launch(arguments, anonymousDashboard);
        // The summary's last line, indented: a bare "ready in" is also in "Address already in use", which the AppHost
        // prints when a server cannot bind its port.
        await appHost.WaitForOutputAsync("  ready in ", StartTimeout);
        return appHost;
    }

    /// <summary>Starts it and returns at once.</summary>
    public static AppHostProcess Launch(AppHostArguments arguments, bool anonymousDashboard = true)
    {
        var dashboardPort = PortAvailability.GetFreePort();
        var appHost = new AppHostProcess(Process.Start(StartInfo(arguments, dashboardPort, anonymousDashboard))!, arguments, dashboardPort);
        appHost._process.OutputDataReceived += (_, e) => appHost.Collect(e.Data);
        appHost._process.ErrorDataReceived += (_, e) => appHost.Collect(e.Data);
        appHost._process.BeginOutputReadLine();
        appHost._process.BeginErrorReadLine();
        return appHost;
    }

    /// <summary>Waits until its output contains <paramref name="text"/>; fails with the output if it exits or times out first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = Output;
                var exited = _process.HasExited;
                Dispose();
                Assert.Fail($"The AppHost did not print \"{text}\" (exited: {exited}):\n{output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Runs one that is expected to stop on its own, and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(AppHostArguments arguments, TimeSpan timeout, params string[] extra)
    {
        using var process = Process.Start(StartInfo(arguments, PortAvailability.GetFreePort(), anonymousDashboard: true, extra))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output + await error);
    }

    private static ProcessStartInfo StartInfo(AppHostArguments arguments, int dashboardPort, bool anonymousDashboard, params string[] extra)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(RepositoryRoot, "AppHost"),
        };
        startInfo.ArgumentList.Add(Path.Combine(RepositoryRoot, "AppHost", "bin", BuildConfiguration, "net10.0", "AppHost.dll"));
        // The timeline puts every resource's state changes into the output, which a start that never gets ready reports.
        foreach (var argument in arguments.ToArgs(["--dashboard-port", dashboardPort.ToString(CultureInfo.InvariantCulture), "--AppHost:Timeline=true", .. extra]))
        {
            startInfo.ArgumentList.Add(argument);
        }

        // What the launch profile sets under `dotnet run`.
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        startInfo.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = anonymousDashboard ? "true" : "false";
        return startInfo;
    }

    /// <summary>
    /// The AppHost's processes: its own descendants, and DCP's (DCP detaches into a session of its own but names the
    /// AppHost it watches: <c>dcp start-apiserver --monitor PID</c>), with every server, service and helper below them.
    /// </summary>
    public IReadOnlyList<ProcessInfo> Processes()
    {
        var all = ProcessInfo.All();
        var roots = all.Where(p => p.Pid == Pid || p.CommandLine.Contains($"--monitor {Pid}", StringComparison.Ordinal)).Select(p => p.Pid).ToHashSet();
        bool grew;
        do
        {
            grew = false;
            foreach (var p in all.Where(p => !roots.Contains(p.Pid) && roots.Contains(p.ParentPid)))
            {
                grew |= roots.Add(p.Pid);
            }
        }
        while (grew);

        return all.Where(p => roots.Contains(p.Pid) && p.Pid != Pid).ToList();
    }

    /// <summary>The value of a line of the start-up summary (<c>  label   value</c>).</summary>
    public string SummaryValue(string label) =>
        Output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith(label + "  ", StringComparison.Ordinal))[label.Length..].Trim();

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static string BuildConfiguration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
