using System.Diagnostics;
using System.Text;

namespace SaasAssistants.EventBus;

/// <summary>
/// The bus's spans, and how their W3C trace context travels: stored with the outbox row (traceparent of whoever wrote
/// the event), put in the message headers by the relay, picked up by the consumer. One trace therefore runs from the
/// webhook through the processor to the reply.
/// </summary>
public static class EventBusTelemetry
{
    public const string ActivitySourceName = "SaasAssistants.EventBus";

    /// <summary>W3C header names, as RabbitMQ.Client's own instrumentation writes them.</summary>
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>The W3C traceparent of the current activity (null outside one, or for a non-W3C id).</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;

    /// <summary>The parent context a traceparent names; default when it is missing or malformed.</summary>
    internal static ActivityContext ParseParent(string? traceParent, string? traceState = null) =>
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;

    /// <summary>Header values come back from the broker as byte[] (AMQP long strings).</summary>
    internal static string? ReadHeader(IDictionary<string, object?>? headers, string name) =>
        headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            }
            : null;
}
