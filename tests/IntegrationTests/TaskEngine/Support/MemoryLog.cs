using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>A host's log lines, kept to explain a failed wait (xunit 2 shows no console output).</summary>
public sealed class MemoryLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public string Tail(int count) => string.Join('\n', _lines.TakeLast(count));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(MemoryLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // The engine's own story; the libraries' only when something goes wrong.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= (category.StartsWith("SaasAssistants", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            log._lines.Enqueue(exception is null ? line : $"{line}\n  {exception.GetType().Name}: {exception.Message}");
        }
    }
}
