using System.Threading.Channels;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Tells the claim loop to look for work now: a TaskQueued message arrived or a slot freed up. Wake-ups coalesce (one
/// pending is enough, since the loop claims all it can whenever it wakes), and the poll interval bounds every wait.
/// </summary>
public sealed class TaskWakeUp
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _signal.Writer.TryWrite(true);

    /// <summary>Returns on a wake-up or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_signal.Reader.TryRead(out _))
        {
            return;
        }

        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        poll.CancelAfter(timeout);
        try
        {
            await _signal.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: time to look anyway.
        }
    }
}
