using Microsoft.Extensions.Logging;

namespace SaasAssistants.EventBus;

/// <summary>
/// Runs posted work up to <c>concurrency</c> items at a time, except that items with the same key run one after
/// another, in the order they were posted: one conversation's messages stay in order while other conversations' are
/// handled alongside. Each key keeps only the tail of its chain, so the bookkeeping is as large as the work in flight
/// (bounded by the consumer's prefetch). Post from one thread at a time, in the order to keep (the consumer's
/// dispatch loop does: RabbitMQ.Client calls it for one delivery after another).
/// </summary>
internal sealed class KeyedSerialDispatcher(int concurrency, ILogger logger)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Queues <paramref name="work"/> behind the key's earlier work; runs it now if that is done and a slot is free.</summary>
    public void Post(string key, Func<Task> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_lock)
        {
            previous = _tails.GetValueOrDefault(key) ?? Task.CompletedTask;
            _tails[key] = done.Task;
        }

        _ = RunAsync(key, previous, work, done);
    }

    /// <summary>Completes when everything posted so far has finished (the tail of each chain follows all before it).</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_tails.Values.ToArray());
        }
    }

    private async Task RunAsync(string key, Task previous, Func<Task> work, TaskCompletionSource done)
    {
        try
        {
            // Never faults: each link completes its TaskCompletionSource with a result, whatever its work did.
            await previous;
            await _slots.WaitAsync();
            try
            {
                await work();
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (Exception ex)
        {
            // The work settles its own delivery; an escape here must not break the chain behind it.
            // No key in the log: it may name a customer.
            logger.LogError(ex, "Dispatched work failed");
        }
        finally
        {
            lock (_lock)
            {
                if (_tails.TryGetValue(key, out var tail) && tail == done.Task)
                {
                    _tails.Remove(key);
                }
            }

            done.SetResult();
        }
    }
}
