using System.Globalization;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// CPU time used by processes, from /proc/{pid}/stat (user + system, in clock ticks of 10 ms). Unlike tasks/s, CPU per
/// task hardly depends on what else the machine is doing, so it tells what the engine would do on an idle machine.
/// </summary>
public static class CpuTime
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux architecture .NET runs on

    /// <summary>The processes themselves (threads included), as long as they run.</summary>
    public static TimeSpan Of(IEnumerable<int> pids) => pids.Select(pid => Read(pid)).Aggregate(TimeSpan.Zero, (sum, stat) => sum + stat.Own);

    /// <summary>A server and its children: those running now, and those that ended (counted by the kernel on the parent).</summary>
    public static TimeSpan OfTree(int root)
    {
        var (_, own, ended) = Read(root);
        var total = own + ended;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != root && Read(pid) is { ParentPid: var parentPid, Own: var child } && parentPid == root)
            {
                total += child;
            }
        }
        return total;
    }

    private static (int ParentPid, TimeSpan Own, TimeSpan EndedChildren) Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return (0, TimeSpan.Zero, TimeSpan.Zero); // it ended meanwhile
        }
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain numbers.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int field) => double.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        return ((int)Ticks(4), TimeSpan.FromSeconds((Ticks(14) + Ticks(15)) / TicksPerSecond), TimeSpan.FromSeconds((Ticks(16) + Ticks(17)) / TicksPerSecond));
    }
}
