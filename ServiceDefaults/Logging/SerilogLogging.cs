using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace SaasAssistants.ServiceDefaults.Logging;

/// <summary>
/// Serilog (Serilog.AspNetCore) behind Microsoft.Extensions.Logging: one-line console output and a daily file per
/// service in the repository's logs/ folder. Every event also goes on to the other logging providers, which is how
/// OpenTelemetry's provider (added by ConfigureOpenTelemetry) gets them for the dashboard's structured logs.
/// </summary>
internal static class SerilogLogging
{
    private const string ConsoleTemplate =
        "{Timestamp:HH:mm:ss.fff} {Level:u3} [{Service}] {Message:lj} {CorrelationId}{NewLine}{Exception}";

    private const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} [{Service}] {SourceContext} {Message:lj} {CorrelationId}{NewLine}{Exception}";

    public static void AddSerilogLogging(this IHostApplicationBuilder builder, string serviceName)
    {
        // gateway-.log rolls into gateway-20261122.log, one file a day.
        var logFile = Path.Combine(LogDirectory.Resolve(builder.Configuration), $"{serviceName}-.log");
        var configuration = builder.Configuration;

        // The host's default console provider would print every line a second time next to Serilog's.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            (services, logger) => logger
                // Defaults first; a "Serilog" section in configuration (MinimumLevel, Override) wins over them.
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                // Four lines per outgoing call at Information; the resilience handler logs retries itself.
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                // Npgsql logs every command at Information: a line per poll of the outbox relay.
                .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
                // A dozen lines of handshake per (re)connect at Information.
                .MinimumLevel.Override("StackExchange.Redis", LogEventLevel.Warning)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName)
                // Behind a queue of their own: the console sink writes under a lock, and a log line per request had requests
                // waiting on it (18 % of the Gateway's thread time under load, bench/GatewayIntake). The queue is flushed
                // when the host disposes the logger.
                .WriteTo.Async(sinks => sinks
                    .Console(outputTemplate: ConsoleTemplate, formatProvider: null)
                    .WriteTo.File(
                        logFile,
                        outputTemplate: FileTemplate,
                        formatProvider: null,
                        rollingInterval: RollingInterval.Day,
                        rollOnFileSizeLimit: true,
                        retainedFileCountLimit: 14)),
            // Several hosts share one test process: each keeps its own logger instead of the static Log.Logger.
            preserveStaticLogger: true,
            writeToProviders: true);
    }
}
