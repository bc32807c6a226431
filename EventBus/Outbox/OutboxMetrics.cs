using System.Diagnostics.Metrics;

namespace SaasAssistants.EventBus.Outbox;

/// <summary>Meter "SaasAssistants.Outbox": what the relay published and what it had to put back.</summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "SaasAssistants.Outbox";

    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("saas.outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _failed = meter.CreateCounter<long>("saas.outbox.failed", "{message}", "Outbox messages released for a later retry.");
    }

    internal void RecordPublished(int count) => _published.Add(count);

    internal void RecordFailed(int count) => _failed.Add(count);
}
