using Aspire.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Diagnostics;

/// <summary>
/// The last lines a resource logged: what says why it stopped (a server's bind error, a service's exception). Stack
/// frames are left out, or a .NET service's tail would be nothing else; the exception's message says why, and the
/// dashboard keeps the whole log.
/// </summary>
public static class ResourceLogTail
{
    public static async Task<IReadOnlyList<string>> ReadAsync(ResourceLoggerService logs, IResource resource, int lines)
    {
        var all = new List<string>();
        // GetAllAsync replays what was logged so far; a resource's log that is still being written may not end at once.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(timeout.Token))
            {
                all.AddRange(batch.Select(line => line.Content));
            }
        }
        catch (OperationCanceledException)
        {
            all.Add("(log read timed out)");
        }

        return Last(all, lines);
    }

    public static IReadOnlyList<string> Last(IEnumerable<string> log, int lines) => [.. log.Where(line => !IsStackFrame(line)).TakeLast(lines)];

    // A line is "[timestamp ]text"; a frame's text is "   at Namespace.Type.Method(...) in file:line n" or a
    // "--- End of stack trace ---" separator.
    private static bool IsStackFrame(string line)
    {
        var text = line.AsSpan();
        if (text.Length > 0 && char.IsAsciiDigit(text[0]) && text.IndexOf(' ') is var space and > 0)
        {
            text = text[(space + 1)..];
        }

        text = text.TrimStart();
        return text.StartsWith("at ", StringComparison.Ordinal) && text.Contains('(') || text.StartsWith("--- End of", StringComparison.Ordinal);
    }
}
