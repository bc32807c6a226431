using System.Diagnostics.Metrics;

namespace SaasAssistants.MessageProcessor.Diagnostics;

/// <summary>The worker's own instruments, on the meter that ServiceDefaults' OpenTelemetry exports.</summary>
public sealed class MessageProcessorMetrics
{
    public const string MeterName = "SaasAssistants.MessageProcessor";

    private readonly Counter<long> _messagesProcessed;
    private readonly Counter<long> _duplicatesSkipped;
    private readonly Histogram<double> _replyDuration;

    public MessageProcessorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesProcessed = meter.CreateCounter<long>("saas.messages.processed", unit: "{message}",
            description: "Inbound messages stored for the first time.");
        _duplicatesSkipped = meter.CreateCounter<long>("saas.messages.duplicates_skipped", unit: "{message}",
            description: "Inbound messages already stored: redeliveries that changed nothing.");
        _replyDuration = meter.CreateHistogram<double>("saas.reply.duration", unit: "s",
            description: "Time to generate the assistant's reply to one inbound message.");
    }

    public void MessageProcessed(string channelType) => _messagesProcessed.Add(1, new KeyValuePair<string, object?>("channel.type", channelType));

    public void DuplicateSkipped(string channelType) => _duplicatesSkipped.Add(1, new KeyValuePair<string, object?>("channel.type", channelType));

    public void ReplyGenerated(TimeSpan duration, string model) => _replyDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("gen_ai.response.model", model));
}
