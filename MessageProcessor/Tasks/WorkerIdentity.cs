namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Who holds a lease (tasks.locked_by, task_attempts.worker): <c>{machine}:{pid}:{guid8}</c>. Machine and pid tell an
/// operator where to look; the random part keeps two engines in one process, or a restarted process that got the same
/// pid, from mistaking each other's leases for their own.
/// </summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public override string ToString() => Name;
}
