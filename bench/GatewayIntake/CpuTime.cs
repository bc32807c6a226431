using System.Globalization;

namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>CPU time (user + system) a process has used, from /proc/{pid}/stat: per request it hardly depends on the machine's other load.</summary>
public static class CpuTime
{
    private const double TicksPerSecond = 100; // USER_HZ

    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces), counted from its closing parenthesis: utime is 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
