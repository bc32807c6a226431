namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg): on a shared 2-core machine no figure means much without them.</summary>
public sealed record LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    public static LoadAverage Read()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return new LoadAverage(Parse(fields[0]), Parse(fields[1]), Parse(fields[2]));
    }

    public override string ToString() => FormattableString.Invariant($"{OneMinute:0.00}, {FiveMinutes:0.00}, {FifteenMinutes:0.00}");

    private static double Parse(string field) => double.Parse(field, System.Globalization.CultureInfo.InvariantCulture);
}
