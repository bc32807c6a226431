using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

/// <summary>The transition table, pair by pair: all 49 (from, to) combinations, so no change is allowed by accident.</summary>
public class TaskStateMachineTests
{
    // Written out here rather than derived from the table under test: this is the specification.
    private static readonly HashSet<(TaskItemStatus, TaskItemStatus)> Allowed =
    [
        (TaskItemStatus.Created, TaskItemStatus.Queued),
        (TaskItemStatus.Created, TaskItemStatus.Cancelled),
        (TaskItemStatus.Queued, TaskItemStatus.Running),
        (TaskItemStatus.Queued, TaskItemStatus.Cancelled),
        (TaskItemStatus.Running, TaskItemStatus.Succeeded),
        (TaskItemStatus.Running, TaskItemStatus.Failed),
        (TaskItemStatus.Running, TaskItemStatus.Cancelled),
        (TaskItemStatus.Running, TaskItemStatus.Queued),
        (TaskItemStatus.Failed, TaskItemStatus.Queued),
        (TaskItemStatus.Failed, TaskItemStatus.DeadLetter),
    ];

    public static TheoryData<TaskItemStatus, TaskItemStatus, bool> EveryPair()
    {
        var data = new TheoryData<TaskItemStatus, TaskItemStatus, bool>();
        foreach (var from in Enum.GetValues<TaskItemStatus>())
        {
            foreach (var to in Enum.GetValues<TaskItemStatus>())
            {
                data.Add(from, to, Allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Fact]
    public void The_matrix_covers_every_pair()
    {
        Assert.Equal(49, EveryPair().Count);
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_transition_is_allowed_only_if_specified(TaskItemStatus from, TaskItemStatus to, bool allowed)
    {
        Assert.Equal(allowed, TaskStateMachine.CanTransition(from, to));
    }

    [Theory]
    [InlineData(TaskItemStatus.Created, false)]
    [InlineData(TaskItemStatus.Queued, false)]
    [InlineData(TaskItemStatus.Running, false)]
    [InlineData(TaskItemStatus.Failed, false)]
    [InlineData(TaskItemStatus.Succeeded, true)]
    [InlineData(TaskItemStatus.Cancelled, true)]
    [InlineData(TaskItemStatus.DeadLetter, true)]
    public void Only_succeeded_cancelled_and_dead_letter_are_terminal(TaskItemStatus status, bool terminal)
    {
        Assert.Equal(terminal, TaskStateMachine.IsTerminal(status));
    }
}
