using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Database.Conversations;

namespace SaasAssistants.Database.Entities;

/// <summary>
/// A conversation and its one state machine: the lifecycle (<see cref="State"/>, seed 004) and who answers
/// (<see cref="Handoff"/>). Every change goes through a method here, bumps <see cref="Version"/> (an EF concurrency
/// token: a concurrent update fails instead of overwriting) and raises an event for the outbox.
/// </summary>
public sealed class Conversation : ITenantOwned
{
    private readonly List<IntegrationEvent> _events = [];

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ChannelId { get; set; }
    public Guid ContactId { get; set; }
    public Guid? AssistantId { get; set; }
    /// <summary>open or closed: follows <see cref="State"/> (CLOSED and EXPIRED are closed).</summary>
    public string Status { get; set; } = "open";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastMessageAt { get; set; }

    public string State { get; private set; } = ConversationState.Pending;
    public DateTimeOffset StateChangedAt { get; private set; }
    public string Handoff { get; private set; } = Conversations.Handoff.Assistant;
    public string? HandoffReason { get; private set; }
    public Guid? AssignedAgentId { get; private set; }
    /// <summary>The rolling summary of the turns up to <see cref="SummaryThrough"/>; later turns are sent verbatim.</summary>
    public string? Summary { get; private set; }
    public DateTimeOffset? SummaryThrough { get; private set; }
    /// <summary>The ai.reply task in flight, if any: the next burst waits for it, so replies never overtake each other.</summary>
    public Guid? ReplyTaskId { get; private set; }
    public int Version { get; private set; }

    public Contact? Contact { get; set; }
    public Channel? Channel { get; set; }


    public bool AssistantMayReply => Handoff == Conversations.Handoff.Assistant && !ConversationState.IsEnded(State);

    /// <summary>The events raised since the last call, for the caller to add to the outbox in the same SaveChanges.</summary>
    public IReadOnlyList<IntegrationEvent> TakeEvents()
    {
        var events = _events.ToList();
        _events.Clear();
        return events;
    }

    /// <summary>A conversation the business starts (an agent or the public API writes first), announced like an inbound one.</summary>
    public static Conversation StartOutbound(Guid tenantId, Guid workspaceId, Guid channelId, Guid contactId, Guid? assistantId, DateTimeOffset at)
    {
        var conversation = new Conversation
        {
            Id = Guid.CreateVersion7(at), TenantId = tenantId, WorkspaceId = workspaceId, ChannelId = channelId, ContactId = contactId,
            AssistantId = assistantId, CreatedAt = at, LastMessageAt = at, StateChangedAt = at,
        };
        conversation.Opened(at);
        return conversation;
    }

    /// <summary>The conversation was just opened (inserted by the inbound upsert): announces its first state.</summary>
    public void Opened(DateTimeOffset at) => _events.Add(new ConversationStateChanged
    {
        TenantId = TenantId, ConversationId = Id, From = null, To = State, Version = Version, ChangedAt = at, OccurredAt = at,
    });

    /// <summary>Lifecycle transition, checked against <see cref="ConversationState"/>'s table.</summary>
    public void MoveTo(string state, DateTimeOffset at)
    {
        if (State == state)
        {
            return;
        }

        if (!ConversationState.CanMove(State, state))
        {
            throw new ConversationTransitionException(Id, State, state);
        }

        var from = State;
        State = state;
        StateChangedAt = at;
        Status = ConversationState.IsEnded(state) ? "closed" : "open";
        if (ConversationState.IsEnded(state))
        {
            ReplyTaskId = null;
        }

        Version++;
        _events.Add(new ConversationStateChanged
        {
            TenantId = TenantId, ConversationId = Id, From = from, To = state, Version = Version, ChangedAt = at, OccurredAt = at,
        });
    }

    /// <summary>The customer wrote again: a conversation that had gone idle is going on again.</summary>
    public void CustomerWrote(DateTimeOffset at)
    {
        if (State == ConversationState.IdleTimeout)
        {
            MoveTo(ConversationState.Progress, at);
        }
    }

    /// <summary>The customer was answered (by the assistant or an agent).</summary>
    public void Answered(DateTimeOffset at)
    {
        if (State is ConversationState.Pending or ConversationState.IdleTimeout)
        {
            MoveTo(ConversationState.Progress, at);
        }
    }

    /// <summary>The customer or the assistant asked for a person; nothing changes if a person is already on it.</summary>
    public void RequestHuman(string reason, DateTimeOffset at)
    {
        if (Handoff != Conversations.Handoff.Assistant)
        {
            return;
        }

        ChangeHandoff(Conversations.Handoff.WaitingForHuman, null, reason, at);
    }

    public void AssignAgent(Guid agentId, DateTimeOffset at)
    {
        if (ConversationState.IsEnded(State))
        {
            throw new ConversationTransitionException(Id, State, Conversations.Handoff.Human);
        }

        ChangeHandoff(Conversations.Handoff.Human, agentId, HandoffReasons.AgentTookOver, at);
    }

    /// <summary>
    /// An agent wrote to the customer: a person is on it now (seed 002: the reply takes the conversation over), assigned
    /// to that agent, or to whoever had it when the writer is not named (the public API without an agent).
    /// </summary>
    public void AgentReplied(Guid? agentId, DateTimeOffset at)
    {
        if (ConversationState.IsEnded(State))
        {
            throw new ConversationTransitionException(Id, State, Conversations.Handoff.Human);
        }

        ChangeHandoff(Conversations.Handoff.Human, agentId ?? AssignedAgentId, HandoffReasons.AgentTookOver, at);
        Answered(at);
    }

    public void HandBackToAssistant(DateTimeOffset at)
    {
        if (AssistantId is null)
        {
            throw new ConversationTransitionException(Id, Handoff, Conversations.Handoff.Assistant);
        }

        ChangeHandoff(Conversations.Handoff.Assistant, null, HandoffReasons.HandedBack, at);
    }

    /// <summary>Takes the burst into the reply task <paramref name="taskId"/>; false while an earlier reply is in flight.</summary>
    public bool StartReply(Guid taskId)
    {
        if (ReplyTaskId is not null)
        {
            return false;
        }

        ReplyTaskId = taskId;
        Version++;
        return true;
    }

    /// <summary>The in-flight reply ended (stored, or the task gave up): the next burst may start.</summary>
    public void EndReply(Guid taskId)
    {
        if (ReplyTaskId != taskId)
        {
            return;
        }

        ReplyTaskId = null;
        Version++;
    }

    /// <summary>A reply task that ended without storing a reply (dead-lettered, cancelled) must not block the next one.</summary>
    public void ForgetStaleReply()
    {
        ReplyTaskId = null;
        Version++;
    }

    public void Summarize(string summary, DateTimeOffset through)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        if (SummaryThrough is { } current && through <= current)
        {
            return;
        }

        Summary = summary;
        SummaryThrough = through;
        Version++;
    }

    private void ChangeHandoff(string to, Guid? agentId, string reason, DateTimeOffset at)
    {
        if (Handoff == to && AssignedAgentId == agentId)
        {
            return;
        }

        var from = Handoff;
        Handoff = to;
        AssignedAgentId = agentId;
        HandoffReason = reason;
        Version++;
        _events.Add(new ConversationHandoffChanged
        {
            TenantId = TenantId, ConversationId = Id, From = from, To = to, AssignedAgentId = agentId, Reason = reason,
            Version = Version, ChangedAt = at, OccurredAt = at,
        });
    }
}
