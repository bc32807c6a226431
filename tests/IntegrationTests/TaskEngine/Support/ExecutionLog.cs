using System.Collections.Concurrent;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>Every start of a test processor, from every worker host of a test: the evidence for "ran once", order and timing.</summary>
public sealed class ExecutionLog
{
    private readonly ConcurrentQueue<Execution> _executions = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _stopped = new();

    public IReadOnlyList<Execution> All => _executions.ToList();

    public int Count => _executions.Count;

    public void Add(Execution execution) => _executions.Enqueue(execution);

    public IReadOnlyList<Execution> Of(Guid taskId) => _executions.Where(e => e.TaskId == taskId).ToList();

    /// <summary>When a blocking task saw its CancellationToken fire.</summary>
    public void Stopped(Guid taskId) => _stopped.TryAdd(taskId, DateTimeOffset.UtcNow);

    public DateTimeOffset? StoppedAt(Guid taskId) => _stopped.TryGetValue(taskId, out var at) ? at : null;
}

public sealed record Execution(Guid TaskId, string Type, int Attempt, string Worker, DateTimeOffset StartedAt);
