using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

/// <summary>
/// Seed 004's lifecycle, pair by pair, on the entity: every allowed move changes the state, bumps the version and is
/// announced; every other move is refused and changes nothing.
/// </summary>
public class ConversationLifecycleTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] States =
        [ConversationState.Pending, ConversationState.Progress, ConversationState.IdleTimeout, ConversationState.Expired, ConversationState.Closed];

    // Written out here rather than read from the product, so a change to the table has to change this test too.
    private static readonly HashSet<(string From, string To)> Allowed =
    [
        (ConversationState.Pending, ConversationState.Progress), (ConversationState.Pending, ConversationState.IdleTimeout),
        (ConversationState.Pending, ConversationState.Expired), (ConversationState.Pending, ConversationState.Closed),
        (ConversationState.Progress, ConversationState.IdleTimeout), (ConversationState.Progress, ConversationState.Expired),
        (ConversationState.Progress, ConversationState.Closed),
        (ConversationState.IdleTimeout, ConversationState.Progress), (ConversationState.IdleTimeout, ConversationState.Expired),
        (ConversationState.IdleTimeout, ConversationState.Closed),
        (ConversationState.Closed, ConversationState.Progress),
    ];

    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var from in States)
        {
            foreach (var to in States.Where(to => to != from))
            {
                pairs.Add(from, to);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_move_is_made_and_announced_only_when_the_table_allows_it(string from, string to)
    {
        var conversation = Conversation.StartOutbound(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        // Every state is one move from PENDING.
        conversation.MoveTo(from, Now);
        conversation.TakeEvents();
        var version = conversation.Version;

        if (Allowed.Contains((from, to)))
        {
            conversation.MoveTo(to, Now);

            Assert.Equal((to, version + 1, ConversationState.IsEnded(to) ? "closed" : "open"), (conversation.State, conversation.Version, conversation.Status));
            var changed = Assert.IsType<ConversationStateChanged>(Assert.Single(conversation.TakeEvents()));
            Assert.Equal((from, to, version + 1), (changed.From, changed.To, changed.Version));
        }
        else
        {
            Assert.Throws<ConversationTransitionException>(() => conversation.MoveTo(to, Now));

            Assert.Equal((from, version), (conversation.State, conversation.Version));
            Assert.Empty(conversation.TakeEvents());
        }
    }
}
