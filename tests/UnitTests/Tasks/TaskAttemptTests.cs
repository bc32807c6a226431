using SaasAssistants.Database.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

public class TaskAttemptTests
{
    private static readonly Guid TaskId = Guid.CreateVersion7();

    private static TaskAttempt Begin() => TaskAttempt.Begin(TaskSamples.TenantId, TaskId, 2, TaskSamples.Worker, TaskSamples.T0);

    [Fact]
    public void An_attempt_starts_running_for_its_worker()
    {
        var attempt = Begin();

        Assert.Equal((TaskAttemptStatus.Running, 2, TaskSamples.Worker, TaskSamples.T0), (attempt.Status, attempt.AttemptNo, attempt.Worker, attempt.StartedAt));
        Assert.Null(attempt.EndedAt);
    }

    [Fact]
    public void A_failed_attempt_keeps_its_error_and_its_cost()
    {
        var attempt = Begin();
        attempt.RecordUsage("gpt-4o-mini", 120, 30, 0.000123m, 850);

        attempt.Fail(new TaskError("http_429", "rate limited"), TaskSamples.T0.AddSeconds(1));

        Assert.Equal((TaskAttemptStatus.Failed, "http_429", "rate limited"), (attempt.Status, attempt.ErrorCode, attempt.ErrorDetail));
        Assert.Equal(("gpt-4o-mini", 120, 30, 0.000123m, 850), (attempt.Model, attempt.TokensIn!.Value, attempt.TokensOut!.Value, attempt.Cost!.Value, attempt.LatencyMs!.Value));
        Assert.Equal(TaskSamples.T0.AddSeconds(1), attempt.EndedAt);
    }

    [Theory]
    [InlineData(TaskAttemptStatus.Succeeded)]
    [InlineData(TaskAttemptStatus.Cancelled)]
    [InlineData(TaskAttemptStatus.Released)]
    public void An_attempt_ends_once(TaskAttemptStatus outcome)
    {
        var attempt = Begin();
        var at = TaskSamples.T0.AddSeconds(1);
        Action end = outcome switch
        {
            TaskAttemptStatus.Succeeded => () => attempt.Succeed(at),
            TaskAttemptStatus.Cancelled => () => attempt.Cancel(at),
            _ => () => attempt.Release(at),
        };

        end();

        Assert.Equal(outcome, attempt.Status);
        Assert.Throws<InvalidOperationException>(end);
        Assert.Throws<InvalidOperationException>(() => attempt.Fail(new TaskError("late"), at));
    }

    [Fact]
    public void Nonsense_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskAttempt.Begin(TaskSamples.TenantId, TaskId, 0, "w", TaskSamples.T0));
        Assert.Throws<ArgumentException>(() => TaskAttempt.Begin(Guid.Empty, TaskId, 1, "w", TaskSamples.T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Begin().RecordUsage("m", -1, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => new TaskError(""));
    }

    [Fact]
    public void A_long_error_detail_is_cut()
    {
        var error = new TaskError("http_500", new string('x', 10_000));

        Assert.Equal(TaskError.MaxDetailLength, error.Detail!.Length);
    }
}
