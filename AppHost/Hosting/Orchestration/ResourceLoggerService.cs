using Microsoft.Extensions.Logging;
using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>Every resource's console log (last 2000 lines each), echoed to our console when asked (Aspire's ResourceLoggerService).</summary>
public sealed class ResourceLoggerService(IEnumerable<string> resourceNames, ConsoleReporter? echo)
{
    public const int LinesPerResource = 2000;

    private readonly Dictionary<string, ResourceLog> logs =
        resourceNames.ToDictionary(name => name, _ => new ResourceLog(LinesPerResource), StringComparer.OrdinalIgnoreCase);

    public ResourceLog GetLog(string resourceName) =>
        logs.TryGetValue(resourceName, out var log) ? log : throw new KeyNotFoundException($"No resource named '{resourceName}'.");

    public Action<LogLine> GetWriter(string resourceName)
    {
        var log = GetLog(resourceName);
        return line =>
        {
            log.Append(line);
            echo?.Echo(resourceName, line);
        };
    }

    /// <summary>An ILogger whose messages land in the resource's log (for in-process resources).</summary>
    public ILogger GetLogger(string resourceName) => new ResourceLogger(GetWriter(resourceName));

    private sealed class ResourceLogger(Action<LogLine> write) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var isError = logLevel >= LogLevel.Warning;
            write(new LogLine(DateTimeOffset.UtcNow, $"{ShortName(logLevel)}: {formatter(state, exception)}", isError));
            if (exception is not null)
            {
                foreach (var line in exception.ToString().Split('\n'))
                {
                    write(new LogLine(DateTimeOffset.UtcNow, line.TrimEnd('\r'), isError));
                }
            }
        }

        private static string ShortName(LogLevel level) => level switch
        {
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            _ => level.ToString().ToLowerInvariant(),
        };
    }
}
