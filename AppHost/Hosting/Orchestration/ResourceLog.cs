using System.Threading.Channels;
using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>The last lines of one resource's console output, and live subscribers (the dashboard's log view).</summary>
public sealed class ResourceLog(int capacity)
{
    private readonly Queue<LogLine> lines = new();
    private readonly List<Channel<LogLine>> subscribers = [];

    public void Append(LogLine line)
    {
        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > capacity)
            {
                lines.Dequeue();
            }

            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(line);
            }
        }
    }

    public IReadOnlyList<LogLine> GetLines(int maxCount = int.MaxValue)
    {
        lock (lines)
        {
            return lines.Skip(Math.Max(0, lines.Count - maxCount)).ToList();
        }
    }

    /// <summary>The recent lines, then every new line until cancelled.</summary>
    public async IAsyncEnumerable<LogLine> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        IReadOnlyList<LogLine> recent;
        lock (lines)
        {
            recent = lines.ToList();
            subscribers.Add(channel);
        }

        try
        {
            foreach (var line in recent)
            {
                yield return line;
            }

            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            lock (lines)
            {
                subscribers.Remove(channel);
            }
        }
    }
}
