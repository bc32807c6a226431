namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg): on a shared 2-core machine no figure means much without them.</summary>
public static class LoadAverage
{
    public static string Read() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
