using System.Globalization;
using SaasAssistants.Testing.Servers;
using Xunit;

namespace SaasAssistants.AppHost.Tests.Support;

/// <summary>A process read from /proc: pid, parent, start time (so a recycled pid is never mistaken for it) and command line.</summary>
internal sealed record ProcessInfo(int Pid, int ParentPid, ulong StartTime, string CommandLine)
{
    public static IReadOnlyList<ProcessInfo> All()
    {
        var found = new List<ProcessInfo>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } info)
            {
                found.Add(info);
            }
        }

        return found;
    }

    public bool IsAlive => Read(Pid) is { } now && now.StartTime == StartTime && !IsZombie(Pid);

    /// <summary>Waits up to the timeout for every process to be gone, then asserts it (naming the survivors).</summary>
    public static async Task AssertAllGoneAsync(IReadOnlyCollection<ProcessInfo> processes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (processes.Any(p => p.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var survivors = processes.Where(p => p.IsAlive).Select(p => $"{p.Pid} ({p.CommandLine})").ToList();
        Assert.True(survivors.Count == 0, "Still running: " + string.Join(", ", survivors));
    }

    public static void AssertPortsFree(IEnumerable<int> ports)
    {
        var taken = ports.Where(port => !PortAvailability.IsFree(port)).ToList();
        Assert.True(taken.Count == 0, "Still bound: " + string.Join(", ", taken));
    }

    private static ProcessInfo? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are safe to split.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new ProcessInfo(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture), commandLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
