using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.IntegrationTests.Database;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>
/// A database and a RabbitMQ virtual host for one test class, and the arrange/inspect steps its tests share. Tasks are
/// created the way the API creates them (entity, Enqueue, TaskQueued through the outbox) as the services' role, under
/// row level security. Workers claim across tenants, so each test starts with an empty tasks table.
/// </summary>
public sealed class TaskEngineFixture : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public TestDatabase Database { get; private set; } = null!;

    public RabbitMQVirtualHost Messaging { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Messaging = await RabbitMQVirtualHost.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(Database.AppConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await Messaging.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Empties the tasks tables and returns a fresh tenant for the test.</summary>
    public async Task<Guid> ResetAsync()
    {
        var tenantId = Guid.CreateVersion7();
        await OwnerExecuteAsync($"TRUNCATE tasks CASCADE; INSERT INTO tenants (id, name) VALUES ('{tenantId}', 'engine-{tenantId:N}')");
        return tenantId;
    }

    public SaasDbContext Context(Guid tenantId) => TenantDbContexts.Create(_dataSource, tenantId);

    public async Task<Guid> EnqueueAsync(Guid tenantId, string type, string payload = "{}", int priority = 0, DateTimeOffset? scheduledAt = null,
        int maxAttempts = TaskItem.DefaultMaxAttempts) =>
        (await EnqueueManyAsync(tenantId, [new TaskSpec(type, payload, priority, scheduledAt, maxAttempts)]))[0];

    public async Task<IReadOnlyList<Guid>> EnqueueManyAsync(Guid tenantId, IEnumerable<TaskSpec> specs)
    {
        await using var db = Context(tenantId);
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        foreach (var spec in specs)
        {
            var task = TaskItem.Create(tenantId, spec.Type, spec.Payload, now, spec.Priority, spec.ScheduledAt, spec.MaxAttempts, correlationId: "engine-test");
            task.Enqueue(now);
            db.Tasks.Add(task);
            foreach (var @event in task.TakeEvents())
            {
                db.AddIntegrationEvent(@event);
            }

            ids.Add(task.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    }

    /// <summary>What POST /api/v1/tasks/{id}/cancel does: the entity decides, the save records it (and notifies a running task's worker).</summary>
    public async Task RequestCancelAsync(Guid tenantId, Guid taskId)
    {
        await using var db = Context(tenantId);
        var task = await db.Tasks.SingleAsync(t => t.Id == taskId);
        task.RequestCancel(DateTimeOffset.UtcNow);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }

        await db.SaveChangesAsync();
    }

    public async Task<TaskItem> TaskAsync(Guid tenantId, Guid taskId)
    {
        await using var db = Context(tenantId);
        return await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId);
    }

    public async Task<List<TaskItem>> TasksAsync(Guid tenantId)
    {
        await using var db = Context(tenantId);
        return await db.Tasks.AsNoTracking().ToListAsync();
    }

    public async Task<List<TaskAttempt>> AttemptsAsync(Guid tenantId, Guid? taskId = null)
    {
        await using var db = Context(tenantId);
        return await db.TaskAttempts.AsNoTracking().Where(a => taskId == null || a.TaskId == taskId)
            .OrderBy(a => a.TaskId).ThenBy(a => a.AttemptNo).ToListAsync();
    }

    public async Task<List<TaskArtifact>> ArtifactsAsync(Guid tenantId, Guid taskId)
    {
        await using var db = Context(tenantId);
        return await db.TaskArtifacts.AsNoTracking().Where(a => a.TaskId == taskId).ToListAsync();
    }

    /// <summary>The task events written to the outbox for a task (events of one save have no reliable order among themselves).</summary>
    public async Task<List<string>> EventsAsync(Guid tenantId, Guid taskId)
    {
        await using var db = Context(tenantId);
        var events = await db.OutboxMessages.AsNoTracking()
            .Where(o => o.EventType.StartsWith("Task"))
            .OrderBy(o => o.CreatedAt)
            .Select(o => new { o.EventType, o.Payload })
            .ToListAsync();
        return events.Where(e => e.Payload.Contains(taskId.ToString())).Select(e => e.EventType).ToList();
    }

    /// <summary>Tasks in a status, counted as the owner (no entity materialised: cheap enough to poll).</summary>
    public async Task<long> CountAsync(TaskItemStatus status)
    {
        await using var owner = new NpgsqlConnection(Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM tasks WHERE status = '{status}'", owner);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<bool> StatusIsAsync(Guid tenantId, Guid taskId, TaskItemStatus status) => (await TaskAsync(tenantId, taskId)).Status == status;

    public async Task OwnerExecuteAsync(string sql)
    {
        await using var owner = new NpgsqlConnection(Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed record TaskSpec(string Type, string Payload = "{}", int Priority = 0, DateTimeOffset? ScheduledAt = null, int MaxAttempts = TaskItem.DefaultMaxAttempts);
