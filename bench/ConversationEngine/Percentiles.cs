namespace SaasAssistants.Bench.ConversationEngine;

/// <summary>Nearest-rank percentiles of a sample, printed the same way by every scenario.</summary>
public static class Percentiles
{
    public static string Describe(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return "no samples";
        }

        var sorted = values.Order().ToArray();
        double P(double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Max(0, Math.Ceiling(q * sorted.Length) - 1))];
        return $"n {sorted.Length}, min {sorted[0]:0} p50 {P(0.5):0} p95 {P(0.95):0} p99 {P(0.99):0} max {sorted[^1]:0} ms";
    }
}
