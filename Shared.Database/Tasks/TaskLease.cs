namespace SaasAssistants.Database.Tasks;

/// <summary>
/// Proof that a worker holds a running task: its id and the attempt it claimed. A worker that lost the task (its lease
/// expired and the task was requeued, perhaps claimed again, even by the same worker) holds a stale attempt number,
/// so it can no longer end the task.
/// </summary>
public readonly record struct TaskLease(string Worker, int Attempt);
