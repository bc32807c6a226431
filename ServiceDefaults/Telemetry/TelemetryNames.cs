namespace SaasAssistants.ServiceDefaults.Telemetry;

/// <summary>
/// What gets exported. There are no instrumentation packages here, so only sources that the framework and our
/// libraries emit natively: ASP.NET Core and HttpClient create Activities and Meters themselves, and
/// RabbitMQ.Client 7 traces publish/deliver (with trace context in message headers).
/// </summary>
internal static class TelemetryNames
{
    public static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "RabbitMQ.Client.*",
        "SaasAssistants.*",
    ];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "SaasAssistants.*",
    ];
}
