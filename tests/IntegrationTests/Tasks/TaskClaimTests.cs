using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.Database;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Tasks;

/// <summary>
/// The engine's SQL doors (task_claim, task_heartbeat, task_rescue_expired) and the entity working together on a real
/// PostgreSQL, as the services' role under row level security. Claims cross tenants, so every test starts from an
/// empty tasks table (the tests of one class run one at a time).
/// </summary>
public class TaskClaimTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly Guid _tenantA = Guid.CreateVersion7();
    private readonly Guid _tenantB = Guid.CreateVersion7();
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        await OwnerExecuteAsync("TRUNCATE tasks CASCADE");
        await OwnerExecuteAsync($"INSERT INTO tenants (id, name) VALUES ('{_tenantA}', 'tasks-a'), ('{_tenantB}', 'tasks-b')");
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Claims_take_the_highest_priority_first_then_the_longest_waiting()
    {
        var now = DateTimeOffset.UtcNow;
        var low = await EnqueueAsync(_tenantA, priority: -1, scheduledAt: now.AddMinutes(-20));
        var normalOld = await EnqueueAsync(_tenantB, priority: 0, scheduledAt: now.AddMinutes(-30));
        var normalNew = await EnqueueAsync(_tenantA, priority: 0, scheduledAt: now.AddMinutes(-10));
        var urgentNew = await EnqueueAsync(_tenantB, priority: 5, scheduledAt: now.AddMinutes(-1));
        var urgentOld = await EnqueueAsync(_tenantA, priority: 5, scheduledAt: now.AddMinutes(-5));

        var firstTwo = await ClaimAsync("worker-1", 2);
        var rest = await ClaimAsync("worker-1", 10);

        Assert.Equal([urgentOld, urgentNew], firstTwo.Select(c => c.Id));
        Assert.Equal([normalOld, normalNew, low], rest.Select(c => c.Id));
        Assert.Empty(await ClaimAsync("worker-1", 10));
    }

    [Fact]
    public async Task A_claimed_task_runs_under_the_claimers_lease()
    {
        var id = await EnqueueAsync(_tenantA, correlationId: "corr-claim");

        var claimed = Assert.Single(await ClaimAsync("worker-1", 10));

        Assert.Equal((id, _tenantA, "test.echo", 1, 3, "corr-claim"),
            (claimed.Id, claimed.TenantId, claimed.Type, claimed.AttemptCount, claimed.MaxAttempts, claimed.CorrelationId));
        await using var db = Context(_tenantA);
        var task = await db.Tasks.SingleAsync(t => t.Id == id);
        Assert.Equal((TaskItemStatus.Running, "worker-1", 1), (task.Status, task.LockedBy, task.AttemptCount));
        Assert.InRange(task.LockedUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(70));
        Assert.NotNull(task.StartedAt);
    }

    [Fact]
    public async Task Scheduled_and_created_tasks_are_not_claimed_early()
    {
        var scheduled = await EnqueueAsync(_tenantA, scheduledAt: DateTimeOffset.UtcNow.AddMinutes(10));
        await using (var db = Context(_tenantA))
        {
            db.Tasks.Add(TaskItem.Create(_tenantA, "test.echo", "{}", DateTimeOffset.UtcNow)); // never enqueued
            await db.SaveChangesAsync();
        }

        Assert.Empty(await ClaimAsync("worker-1", 10));

        await OwnerExecuteAsync($"UPDATE tasks SET scheduled_at = now() - interval '1 second' WHERE id = '{scheduled}'");
        Assert.Equal(scheduled, Assert.Single(await ClaimAsync("worker-1", 10)).Id);
    }

    [Fact]
    public async Task A_claim_skips_rows_another_claim_holds_instead_of_waiting_for_them()
    {
        for (var i = 0; i < 6; i++)
        {
            await EnqueueAsync(_tenantA, priority: i);
        }

        await using var first = await _dataSource.OpenConnectionAsync();
        await using var open = await first.BeginTransactionAsync();
        var held = await ClaimAsync(first, "worker-1", 3, open);
        // A claim that waited on the held rows would hit this timeout and fail the test.
        await using var second = await _dataSource.OpenConnectionAsync();
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '2s'", second))
        {
            await timeout.ExecuteNonQueryAsync();
        }

        var others = await ClaimAsync(second, "worker-2", 10);

        Assert.Equal(3, held.Count);
        Assert.Equal(3, others.Count);
        Assert.Empty(held.Select(c => c.Id).Intersect(others.Select(c => c.Id)));
        await open.RollbackAsync();
        Assert.Equal(held.Select(c => c.Id).Order(), (await ClaimAsync("worker-3", 10)).Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_task()
    {
        const int total = 400;
        await using (var db = Context(_tenantA))
        {
            var at = DateTimeOffset.UtcNow.AddSeconds(-1);
            for (var i = 0; i < total; i++)
            {
                var task = TaskItem.Create(_tenantA, "test.echo", "{}", at, priority: i % 3);
                task.Enqueue(at);
                db.Tasks.Add(task);
            }
            await db.SaveChangesAsync();
        }

        var claims = new ConcurrentBag<(string Worker, Guid Id)>();
        var workers = Enumerable.Range(1, 6).Select(n => Task.Run(async () =>
        {
            var worker = $"worker-{n}";
            await using var connection = await _dataSource.OpenConnectionAsync();
            while (true)
            {
                var batch = await ClaimAsync(connection, worker, 7);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var claimed in batch)
                {
                    claims.Add((worker, claimed.Id));
                }
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(total, claims.Count);
        Assert.Equal(total, claims.Select(c => c.Id).Distinct().Count());
        var owners = await OwnerQueryAsync("SELECT id, locked_by FROM tasks WHERE status = 'Running' AND attempt_count = 1",
            r => (r.GetGuid(0), r.GetString(1)));
        Assert.Equal(claims.Select(c => (c.Id, c.Worker)).Order(), owners.Order());
    }

    [Fact]
    public async Task A_heartbeat_extends_only_the_callers_leases_and_reports_cancel_requests()
    {
        var keep = await EnqueueAsync(_tenantA);
        var cancel = await EnqueueAsync(_tenantA);
        var done = await EnqueueAsync(_tenantA);
        var claimed = await ClaimAsync("worker-1", 10);
        Guid[] ids = [keep, cancel, done];
        await using (var db = Context(_tenantA))
        {
            var tasks = await db.Tasks.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id);
            tasks[cancel].RequestCancel(DateTimeOffset.UtcNow);
            tasks[done].Succeed(new TaskLease("worker-1", 1), DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var beats = await HeartbeatAsync("worker-1", ids, TimeSpan.FromMinutes(10));
        var stranger = await HeartbeatAsync("worker-2", ids, TimeSpan.FromMinutes(10));

        Assert.Equal(3, claimed.Count);
        Assert.Equal(new[] { (cancel, true), (keep, false) }.Order(), beats.Order());
        Assert.Empty(stranger);
        var until = await OwnerQueryAsync($"SELECT locked_until FROM tasks WHERE id = '{keep}'", r => r.GetFieldValue<DateTimeOffset>(0));
        Assert.InRange(Assert.Single(until) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task An_expired_lease_is_rescued_through_the_entity_and_the_task_runs_again()
    {
        var abandoned = await EnqueueAsync(_tenantA, maxAttempts: 2);
        Assert.Single(await ClaimAsync("worker-dead", 1, TimeSpan.FromMilliseconds(1)));
        var healthy = await EnqueueAsync(_tenantB);
        Assert.Single(await ClaimAsync("worker-alive", 1));
        await Task.Delay(50);

        var expired = await RescueAsync(10);

        var rescued = Assert.Single(expired);
        Assert.Equal((abandoned, _tenantA, "worker-dead", 1), (rescued.Id, rescued.TenantId, rescued.LockedBy, rescued.AttemptCount));
        Assert.DoesNotContain(healthy, expired.Select(e => e.Id));

        // Two rescuers found it: the first requeues it, the second's decision was made on a stale read and fails to save.
        await using var first = Context(rescued.TenantId);
        await using var second = Context(rescued.TenantId);
        var seenByFirst = await first.Tasks.SingleAsync(t => t.Id == abandoned);
        var seenBySecond = await second.Tasks.SingleAsync(t => t.Id == abandoned);
        var now = DateTimeOffset.UtcNow;
        seenByFirst.ExpireLease(now, now);
        seenBySecond.ExpireLease(now, now);
        await first.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        Assert.Empty(await RescueAsync(10));
        var again = Assert.Single(await ClaimAsync("worker-2", 10));
        Assert.Equal((abandoned, 2), (again.Id, again.AttemptCount));
        await using var check = Context(_tenantA);
        Assert.StartsWith(TaskErrorCodes.LeaseExpired, (await check.Tasks.SingleAsync(t => t.Id == abandoned)).LastError);
    }

    [Fact]
    public async Task A_cancel_decided_on_a_stale_read_does_not_overwrite_a_claim()
    {
        var id = await EnqueueAsync(_tenantA);
        await using var api = Context(_tenantA);
        var seen = await api.Tasks.SingleAsync(t => t.Id == id);

        Assert.Single(await ClaimAsync("worker-1", 10));
        seen.RequestCancel(DateTimeOffset.UtcNow); // still Queued in this read, so it would cancel at once

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => api.SaveChangesAsync());
    }

    [Fact]
    public async Task Task_rows_stay_inside_their_tenant()
    {
        var id = await EnqueueAsync(_tenantB);
        await using (var b = Context(_tenantB))
        {
            b.TaskAttempts.Add(TaskAttempt.Begin(_tenantB, id, 1, "w", DateTimeOffset.UtcNow));
            b.TaskArtifacts.Add(TaskArtifact.Text(_tenantB, id, "secret", DateTimeOffset.UtcNow));
            await b.SaveChangesAsync();
        }

        await using var connection = await _dataSource.OpenConnectionAsync();
        await TenantSetting.ApplyAsync(connection, null, _tenantA, isLocal: false, CancellationToken.None);
        foreach (var table in new[] { "tasks", "task_attempts", "task_artifacts" })
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO tasks (id, tenant_id, type) VALUES ('{Guid.CreateVersion7()}', '{_tenantB}', 'x')", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
        Assert.Contains("row-level security", error.MessageText);
    }

    [Fact]
    public async Task An_idempotency_key_is_unique_per_tenant()
    {
        await EnqueueAsync(_tenantA, idempotencyKey: "key-1");
        await EnqueueAsync(_tenantB, idempotencyKey: "key-1");

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => EnqueueAsync(_tenantA, idempotencyKey: "key-1"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
    }

    private async Task<Guid> EnqueueAsync(Guid tenantId, int priority = 0, DateTimeOffset? scheduledAt = null, int maxAttempts = 3,
        string? correlationId = null, string? idempotencyKey = null)
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-1);
        var task = TaskItem.Create(tenantId, "test.echo", """{"n":1}""", at, priority: priority, scheduledAt: scheduledAt ?? at,
            maxAttempts: maxAttempts, correlationId: correlationId, idempotencyKey: idempotencyKey, requestHash: idempotencyKey is null ? null : "hash");
        task.Enqueue(at);
        await using var db = Context(tenantId);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    }

    private async Task<List<Claimed>> ClaimAsync(string worker, int batch, TimeSpan? lease = null)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        return await ClaimAsync(connection, worker, batch, null, lease);
    }

    private static async Task<List<Claimed>> ClaimAsync(NpgsqlConnection connection, string worker, int batch,
        NpgsqlTransaction? transaction = null, TimeSpan? lease = null)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, tenant_id, type, attempt_count, max_attempts, correlation_id FROM task_claim($1, $2, $3)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = batch });
        command.Parameters.Add(new NpgsqlParameter { Value = lease ?? Lease });
        return await ReadAsync(command, r => new Claimed(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetString(5)));
    }

    private async Task<List<(Guid Id, bool CancelRequested)>> HeartbeatAsync(string worker, Guid[] ids, TimeSpan lease)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT id, cancel_requested FROM task_heartbeat($1, $2, $3)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = worker });
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
        return await ReadAsync(command, r => (r.GetGuid(0), r.GetBoolean(1)));
    }

    private async Task<List<Expired>> RescueAsync(int limit)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT id, tenant_id, locked_by, attempt_count FROM task_rescue_expired($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAsync(command, r => new Expired(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3)));
    }

    private SaasDbContext Context(Guid tenantId) => TenantDbContexts.Create(_dataSource, tenantId);

    private async Task OwnerExecuteAsync(string sql)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<T>> OwnerQueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        return await ReadAsync(command, read);
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private sealed record Claimed(Guid Id, Guid TenantId, string Type, int AttemptCount, int MaxAttempts, string? CorrelationId);

    private sealed record Expired(Guid Id, Guid TenantId, string LockedBy, int AttemptCount);
}
