using SaasAssistants.MessageProcessor.Buffering;
using Xunit;

namespace SaasAssistants.UnitTests.MessageProcessor;

/// <summary>The flusher's alarm: a sooner due time wakes it, a later one does not, and nothing rings while it is not armed.</summary>
public sealed class FlushAlarmTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_due_time_before_the_planned_wake_up_ends_the_sleep()
    {
        var alarm = new FlushAlarm();
        var sleeping = alarm.SleepUntilAsync(DateTimeOffset.UtcNow + Long, TimeProvider.System, CancellationToken.None);
        Assert.False(sleeping.IsCompleted);

        alarm.Due(DateTimeOffset.UtcNow.AddSeconds(1));

        // Far less than the planned five minutes; the bound only keeps a broken alarm from hanging the run.
        await sleeping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_due_time_after_the_planned_wake_up_lets_it_sleep()
    {
        var alarm = new FlushAlarm();
        using var stop = new CancellationTokenSource();
        var sleeping = alarm.SleepUntilAsync(DateTimeOffset.UtcNow + Long, TimeProvider.System, stop.Token);

        alarm.Due(DateTimeOffset.UtcNow + Long + TimeSpan.FromMinutes(1));

        Assert.False(sleeping.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping);
    }

    [Fact]
    public async Task A_due_time_between_arming_and_sleeping_ends_the_sleep_at_once()
    {
        var alarm = new FlushAlarm();

        // Armed, then the schedule read: a message scheduled meanwhile may be sooner than what was read.
        alarm.Arm(DateTimeOffset.UtcNow + Long);
        alarm.Due(DateTimeOffset.UtcNow.AddSeconds(1));
        alarm.Due(DateTimeOffset.UtcNow.AddSeconds(1));

        await alarm.SleepUntilAsync(DateTimeOffset.UtcNow + Long, TimeProvider.System, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        // One pending ring is enough: the second did not pile up.
        using var stop = new CancellationTokenSource();
        var next = alarm.SleepUntilAsync(DateTimeOffset.UtcNow + Long, TimeProvider.System, stop.Token);
        Assert.False(next.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task Nothing_rings_while_the_flusher_is_claiming_since_it_reads_the_schedule_next()
    {
        var alarm = new FlushAlarm();

        // Not armed: a burst of messages during a claim must not make the loop spin.
        alarm.Due(DateTimeOffset.UtcNow);

        using var stop = new CancellationTokenSource();
        var sleeping = alarm.SleepUntilAsync(DateTimeOffset.UtcNow + Long, TimeProvider.System, stop.Token);
        Assert.False(sleeping.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping);
    }
}
