namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>Latency percentiles (nearest rank) over every measured request, in milliseconds.</summary>
public sealed record Latencies(double P50, double P95, double P99, double Max)
{
    public static Latencies Of(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new Latencies(double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var sorted = milliseconds.Order().ToArray();
        double At(double percentile) => sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latencies(At(0.50), At(0.95), At(0.99), sorted[^1]);
    }

    public override string ToString() => FormattableString.Invariant($"{P50:0.0} / {P95:0.0} / {P99:0.0} ms (max {Max:0})");
}
