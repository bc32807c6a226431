using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>The AppHost's console: its own messages, and (when echoing) every resource's output as "name | line".</summary>
public sealed class ConsoleReporter(IEnumerable<string> resourceNames)
{
    private readonly object gate = new();
    private readonly int width = resourceNames.Append("apphost").Max(n => n.Length);

    public void Echo(string resourceName, LogLine line) => Write(resourceName, line.Text, line.IsError ? ConsoleColor.DarkYellow : null);

    public void Info(string message) => Write("apphost", message, ConsoleColor.Cyan);

    public void Error(string message) => Write("apphost", message, ConsoleColor.Red);

    public void Plain(string message)
    {
        lock (gate)
        {
            Console.Out.WriteLine(message);
        }
    }

    private void Write(string source, string text, ConsoleColor? color)
    {
        lock (gate)
        {
            var previous = Console.ForegroundColor;
            Console.ForegroundColor = color ?? ConsoleColor.DarkGray;
            Console.Out.Write(source.PadRight(width));
            Console.Out.Write(" | ");
            if (color is not null)
            {
                Console.ForegroundColor = color.Value;
            }
            else
            {
                Console.ForegroundColor = previous;
            }

            Console.Out.WriteLine(text);
            Console.ForegroundColor = previous;
        }
    }
}
