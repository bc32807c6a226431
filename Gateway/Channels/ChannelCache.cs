using Microsoft.Extensions.Caching.Memory;

namespace SaasAssistants.Gateway.Channels;

/// <summary>
/// The channels the webhook endpoints resolved, by public token ("unknown" included, so a flood on a bad key costs no
/// lookups), shared by <see cref="ChannelResolver"/> and <see cref="MessagingChannelResolver"/>. Entries live for
/// <see cref="Lifetime"/> at most; <see cref="ChannelChangeListener"/> drops a channel's entries as soon as the
/// database reports a change to it (migration 0019), and all of them when a tenant changes or the listener reconnects.
/// </summary>
public sealed class ChannelCache : IDisposable
{
    /// <summary>A backstop only: changes arrive as notifications.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private MemoryCache _entries = new(new MemoryCacheOptions());

    public bool TryGet<T>(string kind, string publicToken, out T? value) where T : class => _entries.TryGetValue((kind, publicToken), out value);

    public void Set<T>(string kind, string publicToken, T? value) where T : class => _entries.Set((kind, publicToken), value, Lifetime);

    public void Evict(string publicToken)
    {
        _entries.Remove((ChannelResolver.CacheKind, publicToken));
        _entries.Remove((MessagingChannelResolver.CacheKind, publicToken));
    }

    public void Clear() => _entries.Clear();

    public void Dispose() => _entries.Dispose();
}
