using SaasAssistants.Gateway.Widget;
using Xunit;

namespace SaasAssistants.UnitTests.Gateway;

public class WidgetConnectionsTests
{
    private readonly WidgetConnections _connections = new();
    private readonly Guid _channel = Guid.NewGuid();
    private static WidgetMessage Reply() => new(Guid.NewGuid(), "outbound", "hello", DateTimeOffset.UtcNow);

    [Fact]
    public void A_reply_reaches_every_tab_of_its_session_and_no_other_session()
    {
        using var tab1 = _connections.Subscribe(_channel, "ws_a");
        using var tab2 = _connections.Subscribe(_channel, "ws_a");
        using var other = _connections.Subscribe(_channel, "ws_b");
        using var otherChannel = _connections.Subscribe(Guid.NewGuid(), "ws_a");
        var reply = Reply();

        Assert.Equal(2, _connections.Publish(_channel, "ws_a", reply));

        Assert.True(tab1.Reader.TryRead(out var first) && first == reply);
        Assert.True(tab2.Reader.TryRead(out var second) && second == reply);
        Assert.False(other.Reader.TryRead(out _));
        Assert.False(otherChannel.Reader.TryRead(out _));
    }

    [Fact]
    public void A_closed_connection_is_forgotten()
    {
        var subscription = _connections.Subscribe(_channel, "ws_a");
        subscription.Dispose();

        Assert.Equal(0, _connections.Publish(_channel, "ws_a", Reply()));
        Assert.Equal(0, _connections.Count);
    }

    [Fact]
    public void A_slow_connection_keeps_the_newest_replies()
    {
        using var slow = _connections.Subscribe(_channel, "ws_a");
        var replies = Enumerable.Range(0, 150).Select(_ => Reply()).ToList();
        foreach (var reply in replies)
        {
            _connections.Publish(_channel, "ws_a", reply);
        }

        var received = new List<WidgetMessage>();
        while (slow.Reader.TryRead(out var message))
        {
            received.Add(message);
        }

        Assert.Equal(replies[^100..], received);
    }
}
