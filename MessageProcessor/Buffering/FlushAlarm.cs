namespace SaasAssistants.MessageProcessor.Buffering;

/// <summary>
/// The flusher's alarm clock. The flusher sleeps until the earliest due time in the shared schedule (or at most the
/// poll interval), and a schedule made on this instance that falls due sooner than that rings it early. A fixed poll
/// made every flush up to one interval late; this makes it late only by a timer tick.
/// </summary>
public sealed class FlushAlarm
{
    private readonly SemaphoreSlim _ring = new(0, 1);
    // Unix ms the flusher will next look by itself; long.MaxValue while it is busy claiming (it looks again anyway).
    private long _wakeAt = long.MaxValue;

    /// <summary>A conversation becomes due at <paramref name="dueAt"/>: rings if the flusher would sleep past it.</summary>
    public void Due(DateTimeOffset dueAt)
    {
        if (dueAt.ToUnixTimeMilliseconds() < Interlocked.Read(ref _wakeAt))
        {
            Ring();
        }
    }

    /// <summary>Sleeps until <paramref name="wakeAt"/> unless rung sooner; returns at once if it rang while the flusher was busy.</summary>
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
            Interlocked.Exchange(ref _wakeAt, long.MaxValue);
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
