namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// The workers' console output: passed on to stderr up to a limit per worker (a warning repeated for every task would
/// bury the progress lines), and every warning or error counted, so the report says how many there were and shows one.
/// </summary>
public sealed class WorkerOutput
{
    private const int ForwardedLinesPerWorker = 20;

    private readonly Dictionary<string, int> _forwarded = [];
    private readonly Lock _lock = new();

    public int Warnings { get; private set; }

    public string? FirstWarning { get; private set; }

    public void Write(string worker, string line)
    {
        lock (_lock)
        {
            // The console logger's single-line prefixes: warn, fail (error), crit.
            if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                Warnings++;
                FirstWarning ??= line;
            }
            var forwarded = _forwarded.GetValueOrDefault(worker);
            _forwarded[worker] = forwarded + 1;
            if (forwarded < ForwardedLinesPerWorker)
            {
                Console.Error.WriteLine($"[{worker}] {line}");
            }
            else if (forwarded == ForwardedLinesPerWorker)
            {
                Console.Error.WriteLine($"[{worker}] (further output not shown; warnings are counted in the report)");
            }
        }
    }
}
