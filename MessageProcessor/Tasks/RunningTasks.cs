using System.Collections.Concurrent;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>The tasks this worker runs now: what the heartbeat renews and what a cancel notification looks up.</summary>
public sealed class RunningTasks
{
    private readonly ConcurrentDictionary<Guid, RunningTask> _tasks = new();

    public int Count => _tasks.Count;

    public RunningTask Add(ClaimedTask claim, long claimedAt)
    {
        var running = new RunningTask(claim, claimedAt);
        if (!_tasks.TryAdd(claim.Id, running))
        {
            throw new InvalidOperationException($"Task {claim.Id} is already running on this worker.");
        }

        return running;
    }

    public void Remove(RunningTask running) => _tasks.TryRemove(new KeyValuePair<Guid, RunningTask>(running.Claim.Id, running));

    public RunningTask? Find(Guid taskId) => _tasks.GetValueOrDefault(taskId);

    public IReadOnlyList<RunningTask> Snapshot() => _tasks.Values.ToList();
}
