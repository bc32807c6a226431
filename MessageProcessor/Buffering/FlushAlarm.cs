namespace SaasAssistants.MessageProcessor.Buffering;

/// <summary>
/// The flusher's alarm clock. The flusher sleeps until the earliest due time in the shared schedule (or at most the
/// poll interval), and a schedule made on this instance that falls due sooner than that rings it early. A fixed poll
/// made every flush up to one interval late; this makes it late only by a timer tick.
/// </summary>
/// <remarks>
/// The flusher arms the alarm before it reads the schedule: a schedule made before the read is in what it reads, one
/// made after rings it if it is due sooner than it would wake. While the flusher is claiming (not armed) nothing rings,
/// so a burst of new messages does not turn the loop into a busy one.
/// </remarks>
public sealed class FlushAlarm
{
    private const long NotArmed = long.MinValue;

    private readonly SemaphoreSlim _ring = new(0, 1);
    // Unix ms the flusher will look by itself at the latest; NotArmed while it is claiming (it reads the schedule next).
    private long _wakeAt = NotArmed;

    /// <summary>A conversation becomes due at <paramref name="dueAt"/>: rings if the flusher would sleep past it.</summary>
    public void Due(DateTimeOffset dueAt)
    {
        if (dueAt.ToUnixTimeMilliseconds() < Interlocked.Read(ref _wakeAt))
        {
            Ring();
        }
    }

    /// <summary>Before reading the schedule: from now on, anything due before <paramref name="latest"/> rings.</summary>
    public void Arm(DateTimeOffset latest) => Interlocked.Exchange(ref _wakeAt, latest.ToUnixTimeMilliseconds());

    /// <summary>Sleeps until <paramref name="wakeAt"/> unless rung sooner (or since <see cref="Arm"/>); disarms on return.</summary>
    public async Task SleepUntilAsync(DateTimeOffset wakeAt, TimeProvider clock, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _wakeAt, wakeAt.ToUnixTimeMilliseconds());
        try
        {
            var sleep = wakeAt - clock.GetUtcNow();
            if (sleep > TimeSpan.Zero)
            {
                await _ring.WaitAsync(sleep, cancellationToken);
            }
        }
        finally
        {
            Interlocked.Exchange(ref _wakeAt, NotArmed);
        }
    }

    private void Ring()
    {
        if (_ring.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _ring.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already rung: one pending ring is enough, the flusher claims everything due when it wakes.
        }
    }
}
