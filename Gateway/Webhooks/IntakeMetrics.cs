using System.Diagnostics.Metrics;

namespace SaasAssistants.Gateway.Webhooks;

/// <summary>Meter "SaasAssistants.Gateway.Intake": how well group commit works (<see cref="AcceptedWebhookWriter"/>).</summary>
public sealed class IntakeMetrics
{
    public const string MeterName = "SaasAssistants.Gateway.Intake";

    private readonly UpDownCounter<long> _queued;
    private readonly Histogram<int> _batchSize;

    public IntakeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _queued = meter.CreateUpDownCounter<long>("saas.gateway.intake.queued", "{delivery}",
            "Accepted deliveries waiting for a write to take them.");
        _batchSize = meter.CreateHistogram<int>("saas.gateway.intake.batch_size", "{delivery}",
            "Deliveries committed together by one write.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
    }

    internal void Queued() => _queued.Add(1);

    internal void Taken(int count)
    {
        _queued.Add(-count);
        _batchSize.Record(count);
    }
}
