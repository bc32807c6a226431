using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace SaasAssistants.ServiceDefaults.Logging;

/// <summary>Serilog behind Microsoft.Extensions.Logging: one-line console output and a daily file per service.</summary>
internal static class SerilogLogging
{
    private const string ConsoleTemplate =
        "{Timestamp:HH:mm:ss.fff} {Level:u3} [{Service}] {Message:lj} {CorrelationId}{NewLine}{Exception}";

    private const string FileTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} [{Service}] {SourceContext} {Message:lj} {CorrelationId}{NewLine}{Exception}";

    public static void AddSerilogLogging(this IHostApplicationBuilder builder, string serviceName)
    {
        var logFile = Path.Combine(LogDirectory.Resolve(builder.Configuration), $"{serviceName}-.log");

        var logger = new LoggerConfiguration()
            // Defaults first; a "Serilog" section in configuration (MinimumLevel, Override) wins over them.
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // Four lines per outgoing call at Information; retries are logged by our resilience handler instead.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            // Npgsql logs every command at Information: a line per poll of the outbox relay.
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName)
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: null)
            .WriteTo.File(
                logFile,
                outputTemplate: FileTemplate,
                formatProvider: null,
                rollingInterval: RollingInterval.Day,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 14)
            .CreateLogger();

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }
}
