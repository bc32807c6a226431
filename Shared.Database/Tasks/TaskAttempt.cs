using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Tasks;

/// <summary>
/// One execution of a task (task_attempts): who ran it, when, with which model, at what cost, and how it ended.
/// Written by the worker when it starts and when it ends, or by the rescuer for a worker that died. Never deleted:
/// together the rows are the task's audit trail.
/// </summary>
public sealed class TaskAttempt : ITenantOwned
{
    private TaskAttempt()
    {
    }

    public Guid Id { get; private set; }
    public Guid TenantId { get; set; }
    public Guid TaskId { get; private set; }

    /// <summary>1-based; the task's AttemptCount when this attempt was claimed.</summary>
    public int AttemptNo { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public TaskAttemptStatus Status { get; private set; }

    /// <summary>The model that actually answered (after any fallback), e.g. "gpt-4o-mini" or the local responder's name.</summary>
    public string? Model { get; private set; }

    public int? TokensIn { get; private set; }
    public int? TokensOut { get; private set; }

    /// <summary>In USD, from the configured price table.</summary>
    public decimal? Cost { get; private set; }
    /// <summary>True when the model has no price: <see cref="Cost"/> is then null, never a silent 0.</summary>
    public bool CostUnpriced { get; private set; }

    public int? LatencyMs { get; private set; }
    public string? ErrorCode { get; private set; }
    public string? ErrorDetail { get; private set; }
    public string? Worker { get; private set; }

    public static TaskAttempt Begin(Guid tenantId, Guid taskId, int attemptNo, string worker, DateTimeOffset at)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("An attempt belongs to a tenant.", nameof(tenantId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(attemptNo, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        return new TaskAttempt
        {
            Id = Guid.CreateVersion7(at),
            TenantId = tenantId,
            TaskId = taskId,
            AttemptNo = attemptNo,
            StartedAt = at,
            Status = TaskAttemptStatus.Running,
            Worker = worker,
        };
    }

    /// <summary>What the provider call cost; recorded for failed attempts too, since a failed call can still be billed.</summary>
    public void RecordUsage(string model, int tokensIn, int tokensOut, decimal? cost, int latencyMs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfNegative(tokensIn);
        ArgumentOutOfRangeException.ThrowIfNegative(tokensOut);
        if (cost < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost, "A cost cannot be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(latencyMs);
        Model = model;
        TokensIn = tokensIn;
        TokensOut = tokensOut;
        Cost = cost;
        CostUnpriced = cost is null;
        LatencyMs = latencyMs;
    }

    public void Succeed(DateTimeOffset at) => End(TaskAttemptStatus.Succeeded, at, null);

    public void Fail(TaskError error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(error);
        End(TaskAttemptStatus.Failed, at, error);
    }

    public void Cancel(DateTimeOffset at) => End(TaskAttemptStatus.Cancelled, at, null);

    public void Release(DateTimeOffset at) => End(TaskAttemptStatus.Released, at, null);

    private void End(TaskAttemptStatus status, DateTimeOffset at, TaskError? error)
    {
        if (Status != TaskAttemptStatus.Running)
        {
            throw new InvalidOperationException($"Attempt {AttemptNo} of task {TaskId} already ended ({Status}).");
        }

        Status = status;
        EndedAt = at;
        ErrorCode = error?.Code;
        ErrorDetail = error?.Detail;
    }
}
