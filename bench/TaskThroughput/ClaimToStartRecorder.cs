using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.Bench.TaskThroughput;

/// <summary>
/// Listens, inside a worker, to the engine's own <c>saas.tasks.claim_to_start</c> histogram (the time from the claim
/// returning to the processor starting) and writes every measurement, in milliseconds, to a file when the worker stops,
/// so the benchmark reports percentiles of exactly what the engine measures.
/// </summary>
public sealed class ClaimToStartRecorder : IDisposable
{
    public const string FileSetting = "Bench:ClaimToStartFile";
    private const string Instrument = "saas.tasks.claim_to_start";

    private readonly ConcurrentQueue<double> _milliseconds = new();
    private readonly MeterListener _listener = new();

    public ClaimToStartRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TaskMetrics.MeterName && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => _milliseconds.Enqueue(seconds * 1000));
        _listener.Start();
    }

    public void WriteTo(string path) =>
        File.WriteAllLines(path, _milliseconds.Select(ms => ms.ToString("R", CultureInfo.InvariantCulture)));

    public static IEnumerable<double> Read(string path) =>
        File.Exists(path) ? File.ReadLines(path).Select(line => double.Parse(line, CultureInfo.InvariantCulture)) : [];

    public void Dispose() => _listener.Dispose();
}
