using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Hosting.ApplicationModel;
using SaasAssistants.AppHost.Hosting.Orchestration;
using SaasAssistants.AppHost.Hosting.Processes;
using SaasAssistants.AppHost.Hosting.Servers;
using SaasAssistants.AppHost.Tests.Support;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>Stopping — by us, or by killing the AppHost outright — leaves no process running and no port bound.</summary>
public sealed class ShutdownTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TestFolder folder = new();

    [Fact]
    public async Task Stopping_the_servers_leaves_no_process_and_frees_every_port()
    {
        var postgres = new PostgresServer(new PostgresServerOptions(folder["postgres"], PortAvailability.GetFreePort(), "pw"));
        var redis = new RedisServer(new RedisServerOptions(folder["redis"], PortAvailability.GetFreePort()));
        var rabbitMQ = new RabbitMQServer(new RabbitMQServerOptions(folder["rabbitmq"], PortAvailability.GetFreePort(), PortAvailability.GetFreePort(), PortAvailability.GetFreePort())
        {
            ManagementPort = PortAvailability.GetFreePort(),
        });
        LocalServer[] servers = [postgres, redis, rabbitMQ];
        await Task.WhenAll(servers.Select(s => s.StartAsync(Timeout)));

        // Includes PostgreSQL's backends, Erlang's helpers and RabbitMQ's own epmd (a process of its own).
        var processes = servers.SelectMany(s => ProcessTree.Collect(s.Process!.Pid)).ToList();
        processes.AddRange(ProcessesListeningOn(rabbitMQ.Ports));
        Assert.True(processes.Count > servers.Length, "expected helper processes too");

        await Task.WhenAll(servers.Select(s => s.StopAsync()));

        await ProcessAssertions.AllGoneAsync(processes, TimeSpan.FromSeconds(5));
        ProcessAssertions.PortsFree(servers.SelectMany(s => s.Ports));
    }

    [Fact]
    public async Task Stopping_an_application_that_is_still_starting_stops_what_did_start()
    {
        var builder = DistributedApplicationTestingBuilder.CreateEmpty();
        var postgres = builder.AddPostgres("postgres");
        builder.AddExecutable("sleeper", "sleep", ".", "600").WaitFor(postgres);
        builder.AddExecutable("early", "sleep", ".", "600");
        var app = builder.Build();

        var starting = app.StartAsync();
        var postgresStarted = await app.ResourceNotifications.WaitForResourceAsync("postgres", s => s.ProcessId is not null).WaitAsync(Timeout);
        var early = await app.ResourceNotifications.WaitForResourceAsync("early", s => s.ProcessId is not null).WaitAsync(Timeout);
        var processes = ProcessTree.Collect(postgresStarted.ProcessId!.Value).Concat(ProcessTree.Collect(early.ProcessId!.Value)).ToList();

        await app.StopAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting);
        await ProcessAssertions.AllGoneAsync(processes, TimeSpan.FromSeconds(5));
        Assert.Equal(KnownResourceStates.Waiting, app.ResourceNotifications.GetSnapshot("sleeper").State);
        ProcessAssertions.PortsFree([app.GetEndpoint("postgres").Port]);
        Assert.False(Directory.Exists(app.State.Directory), "an ephemeral state folder is deleted on stop");
    }

    [Fact]
    public async Task Killing_the_AppHost_with_SIGKILL_takes_every_child_down()
    {
        var dashboardPort = PortAvailability.GetFreePort();
        using var appHost = StartAppHost(dashboardPort, new List<string>());
        try
        {
            var pids = await WaitForServerPidsAsync(dashboardPort, ["postgres", "redis", "messaging"]);
            // Everything the AppHost started (RabbitMQ's epmd and any project included), and their descendants.
            var processes = ProcessTree.Collect(appHost.Id).Where(p => p.Pid != appHost.Id).ToList();
            Assert.Subset(processes.Select(p => p.Pid).ToHashSet(), pids.ToHashSet());

            appHost.Kill(); // SIGKILL: no handler of ours runs; the kernel's parent-death signal must do the work

            await ProcessAssertions.AllGoneAsync(processes, TimeSpan.FromSeconds(20));
        }
        finally
        {
            KillIfRunning(appHost);
        }
    }

    [Fact]
    public async Task SIGTERM_twice_still_stops_cleanly()
    {
        // What a supervisor signalling the process group does under `dotnet run`: the AppHost gets the group's SIGTERM
        // and the one dotnet run forwards. Only a second Ctrl+C may escalate to killing.
        var (lines, exitCode) = await SignalTwiceAsync("TERM");

        Assert.DoesNotContain(lines, line => line.Contains("killing every process", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith("stopped", StringComparison.Ordinal));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task A_second_Ctrl_C_kills_everything_at_once()
    {
        var (lines, _) = await SignalTwiceAsync("INT");

        Assert.Contains(lines, line => line.Contains("killing every process now", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts the AppHost, sends <paramref name="signal"/>, and once the AppHost took it (two pending signals of one kind
    /// would merge into one), sends it again; returns when the AppHost and everything it started are gone.
    /// </summary>
    private async Task<(string[] Lines, int ExitCode)> SignalTwiceAsync(string signal)
    {
        var dashboardPort = PortAvailability.GetFreePort();
        var output = new List<string>();
        using var appHost = StartAppHost(dashboardPort, output);
        try
        {
            await WaitForServerPidsAsync(dashboardPort, ["postgres", "redis", "messaging"]);
            var processes = ProcessTree.Collect(appHost.Id).Where(p => p.Pid != appHost.Id).ToList();

            Signal(appHost.Id, signal);
            await WaitForLineAsync(output, line => line.Contains("stopping", StringComparison.Ordinal));
            Signal(appHost.Id, signal);

            await appHost.WaitForExitAsync().WaitAsync(Timeout);
            await ProcessAssertions.AllGoneAsync(processes, TimeSpan.FromSeconds(5));
            lock (output)
            {
                return ([.. output], appHost.ExitCode);
            }
        }
        finally
        {
            KillIfRunning(appHost);
        }
    }

    public void Dispose() => folder.Dispose();

    /// <summary>The built AppHost (servers only would do, but this is the real one), on random ports, output collected.</summary>
    private Process StartAppHost(int dashboardPort, List<string> output)
    {
        var layout = BuildOutputLayout.Current;
        var appHostDll = Path.Combine(layout.AppHostDirectory, "bin", layout.Configuration, layout.TargetFramework, "AppHost.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { appHostDll, "--state-dir", folder["state"], "--dashboard-port", dashboardPort.ToString(), "--AppHost:RandomPorts=true", "--AppHost:EchoLogs=false" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var appHost = Process.Start(startInfo)!;
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.Add(e.Data);
        };
        appHost.OutputDataReceived += collect;
        appHost.ErrorDataReceived += collect;
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        return appHost;
    }

    private static async Task WaitForLineAsync(List<string> output, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (output)
            {
                if (output.Any(match))
                    return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The AppHost did not print the expected line.");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static void KillIfRunning(Process appHost)
    {
        if (!appHost.HasExited)
        {
            appHost.Kill(entireProcessTree: true);
        }
    }

    private static async Task<IReadOnlyList<int>> WaitForServerPidsAsync(int dashboardPort, string[] names)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{dashboardPort}") };
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var resources = await http.GetFromJsonAsync<JsonElement[]>("/api/resources");
                var pids = names
                    .Select(name => resources!.FirstOrDefault(r => r.GetProperty("name").GetString() == name))
                    .Select(r => r.ValueKind == JsonValueKind.Object && r.GetProperty("pid").ValueKind == JsonValueKind.Number ? r.GetProperty("pid").GetInt32() : (int?)null)
                    .ToList();
                if (pids.All(p => p is not null))
                {
                    return pids.Select(p => p!.Value).ToList();
                }
            }
            catch (HttpRequestException)
            {
                // dashboard not up yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The AppHost's servers did not start.");
    }

    /// <summary>Processes holding a listening socket on one of the ports (epmd is not a descendant we can walk to).</summary>
    private static IEnumerable<ProcessIdentity> ProcessesListeningOn(IEnumerable<int> ports)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var port = Convert.ToInt32(fields[1].Split(':')[1], 16);
                if (fields[3] == "0A" && ports.Contains(port))
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string[] links;
            try
            {
                links = Directory.GetFiles(Path.Combine(process, "fd")).Select(fd => new FileInfo(fd).LinkTarget ?? string.Empty).ToArray();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (links.Any(link => inodes.Any(inode => link == $"socket:[{inode}]")))
            {
                var pid = int.Parse(Path.GetFileName(process));
                foreach (var identity in ProcessTree.Collect(pid).Where(p => p.Pid == pid))
                {
                    yield return identity;
                }
            }
        }
    }
}
