using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SaasAssistants.Gateway.Widget;

/// <summary>
/// The live connections this Gateway instance holds, by (channel, visitor session). A visitor may have several tabs
/// open, so a session maps to a set of subscribers; each subscriber is a bounded queue that its connection drains.
/// </summary>
public sealed class WidgetConnections
{
    private readonly ConcurrentDictionary<(Guid ChannelId, string SessionId), ConcurrentDictionary<Guid, Channel<WidgetMessage>>> _sessions = new();

    public int Count => _sessions.Values.Sum(s => s.Count);

    public Subscription Subscribe(Guid channelId, string sessionId)
    {
        var queue = Channel.CreateBounded<WidgetMessage>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        var key = (channelId, sessionId);
        _sessions.GetOrAdd(key, _ => new()).TryAdd(id, queue);
        return new Subscription(queue.Reader, () =>
        {
            if (_sessions.TryGetValue(key, out var subscribers))
            {
                subscribers.TryRemove(id, out _);
                if (subscribers.IsEmpty)
                {
                    _sessions.TryRemove(KeyValuePair.Create(key, subscribers));
                }
            }
        });
    }

    /// <summary>Delivers to every connection of the session held here; returns how many received it.</summary>
    public int Publish(Guid channelId, string sessionId, WidgetMessage message)
    {
        if (!_sessions.TryGetValue((channelId, sessionId), out var subscribers))
        {
            return 0;
        }

        var delivered = 0;
        foreach (var queue in subscribers.Values)
        {
            if (queue.Writer.TryWrite(message))
            {
                delivered++;
            }
        }

        return delivered;
    }

    public sealed class Subscription(ChannelReader<WidgetMessage> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<WidgetMessage> Reader { get; } = reader;
        public void Dispose() => unsubscribe();
    }
}
