namespace SaasAssistants.ServiceDefaults;

/// <summary>
/// Our own activity sources and meters (outbox relay, event consumer, task engine, ...), all named "SaasAssistants.*".
/// ASP.NET Core, HttpClient and runtime come from the instrumentation packages; Npgsql and RabbitMQ.Client from
/// their Aspire client integrations.
/// </summary>
public static class TelemetrySources
{
    public const string Prefix = "SaasAssistants.";

    internal static readonly string[] ActivitySources = [Prefix + "*"];

    internal static readonly string[] Meters = [Prefix + "*"];
}
