using System.Globalization;

namespace SaasAssistants.Testing.Processes;

/// <summary>
/// Finds every process that belongs to a child we started, by reading /proc: its descendants (by parent pid) and every
/// process still in its session (orphans keep the session id even after their parent died). Erlang, for one, moves its
/// helper processes into sessions of their own, so the process group alone is not enough.
/// </summary>
internal static class ProcessTree
{
    public static IReadOnlyList<ProcessIdentity> Collect(int rootPid)
    {
        var all = ReadAll();
        var found = new Dictionary<int, ProcessIdentity>();
        foreach (var stat in all.Values.Where(s => s.SessionId == rootPid || s.GroupId == rootPid || s.Pid == rootPid))
        {
            found[stat.Pid] = new ProcessIdentity(stat.Pid, stat.StartTime);
        }

        // Descendants by parent pid, starting from everything found so far (repeat until nothing new).
        bool grew;
        do
        {
            grew = false;
            foreach (var stat in all.Values)
            {
                if (!found.ContainsKey(stat.Pid) && found.ContainsKey(stat.ParentPid))
                {
                    found[stat.Pid] = new ProcessIdentity(stat.Pid, stat.StartTime);
                    grew = true;
                }
            }
        }
        while (grew);

        return found.Values.ToList();
    }

    /// <summary>True while the process runs (a zombie waiting to be reaped counts as gone).</summary>
    public static bool IsAlive(ProcessIdentity process)
    {
        var stat = TryRead(process.Pid);
        return stat is not null && stat.Value.StartTime == process.StartTime && stat.Value.State != 'Z' && stat.Value.State != 'X';
    }

    public static void Signal(IEnumerable<ProcessIdentity> processes, int signal)
    {
        foreach (var process in processes.Where(IsAlive))
        {
            NativeMethods.Kill(process.Pid, signal);
        }
    }

    private static Dictionary<int, ProcStat> ReadAll()
    {
        var result = new Dictionary<int, ProcStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(pid) is { } stat)
            {
                result[pid] = stat;
            }
        }

        return result;
    }

    private static ProcStat? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // Format: pid (comm) state ppid pgrp session ... field 22 = starttime. comm may contain spaces and ')'.
        var afterName = text.LastIndexOf(')');
        if (afterName < 0)
        {
            return null;
        }

        var fields = text[(afterName + 2)..].Split(' ');
        if (fields.Length < 20)
        {
            return null;
        }

        return new ProcStat(
            pid,
            fields[0][0],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture),
            ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    private readonly record struct ProcStat(int Pid, char State, int ParentPid, int GroupId, int SessionId, ulong StartTime);
}
