using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

/// <summary>The state machine's rules for what agents do: reply, reopen, and WhatsApp's window.</summary>
public class ConversationAgentTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static Conversation Started() => Conversation.StartOutbound(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);

    [Fact]
    public void An_agent_s_reply_takes_the_conversation_over_for_that_agent_and_moves_it_on()
    {
        var conversation = Started();
        conversation.TakeEvents();
        var agent = Guid.NewGuid();

        conversation.AgentReplied(agent, Now);

        Assert.Equal((Handoff.Human, agent, ConversationState.Progress), (conversation.Handoff, conversation.AssignedAgentId, conversation.State));
        var events = conversation.TakeEvents();
        Assert.Contains(events, e => e is ConversationHandoffChanged { To: Handoff.Human });
        Assert.Contains(events, e => e is ConversationStateChanged { To: ConversationState.Progress });
    }

    [Fact]
    public void A_reply_naming_no_agent_keeps_whoever_had_the_conversation()
    {
        var conversation = Started();
        var agent = Guid.NewGuid();
        conversation.AssignAgent(agent, Now);

        conversation.AgentReplied(null, Now);

        Assert.Equal(agent, conversation.AssignedAgentId);
    }

    [Fact]
    public void Closed_may_be_reopened_expired_may_not_and_an_ended_conversation_takes_no_reply()
    {
        Assert.True(ConversationState.CanMove(ConversationState.Closed, ConversationState.Progress));
        Assert.False(ConversationState.CanMove(ConversationState.Expired, ConversationState.Progress));

        var conversation = Started();
        conversation.MoveTo(ConversationState.Closed, Now);
        Assert.Throws<ConversationTransitionException>(() => conversation.AgentReplied(Guid.NewGuid(), Now));
        conversation.MoveTo(ConversationState.Progress, Now);
        Assert.Equal("open", conversation.Status);
    }

    [Fact]
    public void A_started_conversation_announces_its_first_state()
    {
        var conversation = Started();

        var opened = Assert.IsType<ConversationStateChanged>(Assert.Single(conversation.TakeEvents()));
        Assert.Equal((null, ConversationState.Pending, Now), (opened.From, opened.To, conversation.StateChangedAt));
    }

    [Theory]
    [InlineData(-23.9, true)]
    [InlineData(-24.1, false)]
    public void WhatsApp_s_window_is_24_hours_from_the_customer_s_last_message(double hoursAgo, bool open)
        => Assert.Equal(open, ServiceWindow.IsOpen(Now.AddHours(hoursAgo), Now));

    [Fact]
    public void Before_the_customer_ever_wrote_the_window_is_closed()
        => Assert.False(ServiceWindow.IsOpen(null, Now));
}
