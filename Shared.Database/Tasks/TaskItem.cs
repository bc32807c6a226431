using System.Text.Json;
using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Tasks;

/// <summary>
/// A durable unit of work (the tasks table); named TaskItem so it does not clash with System.Threading.Tasks.Task.
/// Its status changes only through the methods below, each checked against <see cref="TaskStateMachine"/>: a forbidden
/// change throws <see cref="TaskTransitionException"/> and leaves the task as it was. Every change queues its task
/// event (<see cref="TakeEvents"/>) for the caller to add to the outbox in the same SaveChanges.
/// Status and AttemptCount are EF concurrency tokens, so a decision made on a stale read (the task was claimed,
/// rescued or cancelled meanwhile) fails to save instead of overwriting; the caller reloads and decides again.
/// A heartbeat touches neither, so it never makes a worker's save fail.
/// </summary>
public sealed class TaskItem : ITenantOwned
{
    public const int DefaultMaxAttempts = 3;

    private readonly List<TaskEvent> _events = [];

    private TaskItem()
    {
    }

    public Guid Id { get; private set; }
    public Guid TenantId { get; set; }
    public string Type { get; private set; } = "";
    public DomainType? DomainType { get; private set; }
    public CapabilityType? CapabilityType { get; private set; }
    public ExecutionType? ExecutionType { get; private set; }

    /// <summary>Higher runs first; ties go to the earliest <see cref="ScheduledAt"/>.</summary>
    public int Priority { get; private set; }

    public TaskItemStatus Status { get; private set; }

    /// <summary>The processor's input, as JSON text (a jsonb column).</summary>
    public string Payload { get; private set; } = "{}";

    public string? IdempotencyKey { get; private set; }

    /// <summary>Hash of the creating request: the same idempotency key with a different body is refused, not replayed.</summary>
    public string? RequestHash { get; private set; }

    /// <summary>Not claimed before this; moved forward by a retry's backoff.</summary>
    public DateTimeOffset ScheduledAt { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }
    public string? LockedBy { get; private set; }
    public int MaxAttempts { get; private set; }

    /// <summary>Attempts started so far, which is also the number of the current or latest attempt.</summary>
    public int AttemptCount { get; private set; }

    public string? LastError { get; private set; }
    public DateTimeOffset? CancelRequestedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the first attempt started; each attempt's own times are in task_attempts.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }
    public string? CorrelationId { get; private set; }

    public bool IsEnded => TaskStateMachine.IsTerminal(Status);

    public static TaskItem Create(
        Guid tenantId, string type, string payload, DateTimeOffset at,
        int priority = 0, DateTimeOffset? scheduledAt = null, int maxAttempts = DefaultMaxAttempts,
        DomainType? domainType = null, CapabilityType? capabilityType = null, ExecutionType? executionType = null,
        string? idempotencyKey = null, string? requestHash = null, string? correlationId = null)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("A task belongs to a tenant.", nameof(tenantId));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        if (idempotencyKey is not null && string.IsNullOrEmpty(requestHash))
        {
            throw new ArgumentException("An idempotency key needs the request's hash, to tell a replay from a different request.", nameof(requestHash));
        }

        EnsureJson(payload);

        return new TaskItem
        {
            Id = Guid.CreateVersion7(at),
            TenantId = tenantId,
            Type = type,
            DomainType = domainType,
            CapabilityType = capabilityType,
            ExecutionType = executionType,
            Priority = priority,
            Status = TaskItemStatus.Created,
            Payload = payload,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            ScheduledAt = scheduledAt ?? at,
            MaxAttempts = maxAttempts,
            CreatedAt = at,
            UpdatedAt = at,
            CorrelationId = correlationId,
        };
    }

    /// <summary>Created → Queued: claimable from <see cref="ScheduledAt"/> on.</summary>
    public void Enqueue(DateTimeOffset at)
    {
        RequireStatus(TaskItemStatus.Created, TaskItemStatus.Queued);
        MoveTo(TaskItemStatus.Queued, at);
        RaiseQueued(at);
    }

    /// <summary>
    /// Queued → Running under a lease. Workers normally claim with the task_claim SQL function, which applies the same
    /// rule (due, highest priority first) to many tasks at once; this is that rule for one task.
    /// </summary>
    public TaskLease Start(string worker, DateTimeOffset leaseUntil, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        if (leaseUntil <= at)
        {
            throw new ArgumentOutOfRangeException(nameof(leaseUntil), "A lease must end after it starts.");
        }

        RequireStatus(TaskItemStatus.Queued, TaskItemStatus.Running);
        if (ScheduledAt > at)
        {
            throw new TaskTransitionException(Id, Status, TaskItemStatus.Running, $"it is not due before {ScheduledAt:O}");
        }

        MoveTo(TaskItemStatus.Running, at);
        LockedBy = worker;
        LockedUntil = leaseUntil;
        AttemptCount++;
        StartedAt ??= at;
        return new TaskLease(worker, AttemptCount);
    }

    /// <summary>Running → Succeeded, by the worker that holds the lease.</summary>
    public void Succeed(TaskLease lease, DateTimeOffset at)
    {
        RequireLease(lease, TaskItemStatus.Succeeded);
        ClearLease();
        MoveTo(TaskItemStatus.Succeeded, at);
        FinishedAt = at;
        _events.Add(new TaskSucceeded
        {
            TenantId = TenantId, TaskId = Id, Type = Type, CorrelationId = CorrelationId, OccurredAt = at, Attempt = AttemptCount,
        });
    }

    /// <summary>
    /// Running → Failed, then at once Failed → Queued at <paramref name="nextAttemptAt"/> when the error is retryable and
    /// attempts remain, else Failed → DeadLetter (attempts exhausted, or an error that retrying cannot fix). A task whose
    /// cancel was requested ends Cancelled instead: retrying it would run what the caller asked to stop.
    /// </summary>
    public void Fail(TaskLease lease, TaskError error, bool retryable, DateTimeOffset nextAttemptAt, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(error);
        RequireLease(lease, TaskItemStatus.Failed);
        FailAttempt(error, retryable, nextAttemptAt, at);
    }

    /// <summary>
    /// The rescuer's path for a task whose worker stopped renewing its lease: the attempt counts as failed
    /// (<see cref="TaskErrorCodes.LeaseExpired"/>, retryable), with the same outcome rules as <see cref="Fail"/>.
    /// </summary>
    public void ExpireLease(DateTimeOffset at, DateTimeOffset nextAttemptAt)
    {
        RequireStatus(TaskItemStatus.Running, TaskItemStatus.Failed);
        if (LockedUntil > at)
        {
            throw new TaskTransitionException(Id, Status, TaskItemStatus.Failed, $"its lease runs until {LockedUntil:O}");
        }

        FailAttempt(new TaskError(TaskErrorCodes.LeaseExpired, $"{LockedBy} stopped renewing its lease"), retryable: true, nextAttemptAt, at);
    }

    /// <summary>
    /// Graceful shutdown: Running → Queued, due at once. Not a failure (no error, no backoff, never dead-letters), but the
    /// attempt number stays used, so attempt rows stay unique and the interrupted run stays in the audit trail.
    /// </summary>
    public void ReleaseLease(TaskLease lease, DateTimeOffset at)
    {
        RequireLease(lease, TaskItemStatus.Queued);
        ClearLease();
        if (CancelRequestedAt is not null)
        {
            EndCancelled(at);
            return;
        }
        MoveTo(TaskItemStatus.Queued, at);
        RaiseQueued(at);
    }

    /// <summary>
    /// Created or Queued → Cancelled at once. Running: only records the request (the worker learns it from its heartbeat,
    /// fires the task's CancellationToken and calls <see cref="ConfirmCancelled"/>); asking again changes nothing.
    /// An ended task throws, which the API reports as 409.
    /// </summary>
    public void RequestCancel(DateTimeOffset at)
    {
        switch (Status)
        {
            case TaskItemStatus.Created or TaskItemStatus.Queued:
                CancelRequestedAt = at;
                EndCancelled(at);
                break;
            case TaskItemStatus.Running:
                CancelRequestedAt ??= at;
                UpdatedAt = at;
                break;
            default:
                throw new TaskTransitionException(Id, Status, TaskItemStatus.Cancelled);
        }
    }

    /// <summary>Running → Cancelled, by the worker holding the lease, after a requested cancel stopped the work.</summary>
    public void ConfirmCancelled(TaskLease lease, DateTimeOffset at)
    {
        RequireLease(lease, TaskItemStatus.Cancelled);
        if (CancelRequestedAt is null)
        {
            throw new TaskTransitionException(Id, Status, TaskItemStatus.Cancelled, "no cancel was requested");
        }

        ClearLease();
        EndCancelled(at);
    }

    /// <summary>The task events raised since the last call, in order; the caller adds them to the outbox.</summary>
    public IReadOnlyList<TaskEvent> TakeEvents()
    {
        var taken = _events.ToArray();
        _events.Clear();
        return taken;
    }

    private void FailAttempt(TaskError error, bool retryable, DateTimeOffset nextAttemptAt, DateTimeOffset at)
    {
        LastError = error.ToString();
        ClearLease();
        var willRetry = retryable && AttemptCount < MaxAttempts && CancelRequestedAt is null;
        _events.Add(new TaskFailed
        {
            TenantId = TenantId, TaskId = Id, Type = Type, CorrelationId = CorrelationId, OccurredAt = at, Attempt = AttemptCount,
            ErrorCode = error.Code, ErrorDetail = error.Detail, WillRetry = willRetry, NextAttemptAt = willRetry ? nextAttemptAt : null,
        });

        if (CancelRequestedAt is not null)
        {
            EndCancelled(at);
            return;
        }
        MoveTo(TaskItemStatus.Failed, at);
        if (willRetry)
        {
            MoveTo(TaskItemStatus.Queued, at);
            ScheduledAt = nextAttemptAt;
            RaiseQueued(at);
            return;
        }
        MoveTo(TaskItemStatus.DeadLetter, at);
        FinishedAt = at;
        _events.Add(new TaskDeadLettered
        {
            TenantId = TenantId, TaskId = Id, Type = Type, CorrelationId = CorrelationId, OccurredAt = at, Attempts = AttemptCount,
            ErrorCode = error.Code, ErrorDetail = error.Detail,
        });
    }

    private void EndCancelled(DateTimeOffset at)
    {
        MoveTo(TaskItemStatus.Cancelled, at);
        FinishedAt = at;
        _events.Add(new TaskCancelled
        {
            TenantId = TenantId, TaskId = Id, Type = Type, CorrelationId = CorrelationId, OccurredAt = at, Attempts = AttemptCount,
        });
    }

    private void RaiseQueued(DateTimeOffset at) => _events.Add(new TaskQueued
    {
        TenantId = TenantId, TaskId = Id, Type = Type, CorrelationId = CorrelationId, OccurredAt = at,
        Attempt = AttemptCount + 1, ScheduledAt = ScheduledAt,
    });

    /// <summary>The one place a status is written; the table is checked even on the paths the callers already guard.</summary>
    private void MoveTo(TaskItemStatus to, DateTimeOffset at)
    {
        if (!TaskStateMachine.CanTransition(Status, to))
        {
            throw new TaskTransitionException(Id, Status, to);
        }

        Status = to;
        UpdatedAt = at;
    }

    /// <summary>Each method starts from one status; the table alone would let, say, Enqueue move a running task.</summary>
    private void RequireStatus(TaskItemStatus from, TaskItemStatus to)
    {
        if (Status != from || !TaskStateMachine.CanTransition(from, to))
        {
            throw new TaskTransitionException(Id, Status, to);
        }
    }

    private void RequireLease(TaskLease lease, TaskItemStatus to)
    {
        RequireStatus(TaskItemStatus.Running, to);
        if (lease.Worker != LockedBy || lease.Attempt != AttemptCount)
        {
            throw new TaskTransitionException(Id, Status, to, $"{lease.Worker} no longer holds it (attempt {lease.Attempt}; now {LockedBy}, attempt {AttemptCount})");
        }
    }

    private void ClearLease()
    {
        LockedBy = null;
        LockedUntil = null;
    }

    private static void EnsureJson(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var _ = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The payload must be JSON.", nameof(payload), ex);
        }
    }
}
