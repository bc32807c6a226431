using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// <see cref="BulkUpdateExtensions.UpdateModifiedInBulkAsync"/> on the services' role under row level security: what
/// the entities decided reaches the rows, one statement per set of changed columns, and a stale row fails like
/// SaveChanges fails.
/// </summary>
public class BulkUpdateTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // Whole microseconds: what PostgreSQL stores, so read-back values compare equal.
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
    private static readonly DateTimeOffset Changed = Created.AddSeconds(7).AddTicks(10);

    private readonly Guid _tenant = Guid.CreateVersion7();
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand($"INSERT INTO tenants (id, name) VALUES ('{_tenant}', 'bulk')", owner);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Every_changed_column_of_every_row_is_written_and_the_entities_keep_their_values()
    {
        var ids = await CreateTasksAsync(3);
        await using var db = Context();
        var tasks = await db.Tasks.Where(t => ids.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync();
        tasks[0].Enqueue(Changed);
        tasks[1].Enqueue(Changed);
        tasks[2].RequestCancel(Changed); // other columns than Enqueue's: a second statement

        var written = await db.UpdateModifiedInBulkAsync<TaskItem>(CancellationToken.None);

        Assert.Equal(3, written);
        Assert.All(db.ChangeTracker.Entries<TaskItem>(), e => Assert.Equal(EntityState.Unchanged, e.State));
        Assert.Equal([TaskItemStatus.Queued, TaskItemStatus.Queued, TaskItemStatus.Cancelled], tasks.Select(t => t.Status));
        Assert.Equal(0, await db.SaveChangesAsync()); // nothing left for SaveChanges to write

        await using var fresh = Context();
        var stored = await fresh.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal(tasks.Select(Columns), stored.Select(Columns));
        Assert.Equal(Changed, stored[2].CancelRequestedAt);
    }

    [Fact]
    public async Task A_row_whose_concurrency_token_changed_fails_the_batch()
    {
        var ids = await CreateTasksAsync(2);
        await using var db = Context();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var tasks = await db.Tasks.Where(t => ids.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync();
        // Someone else moved the second task on since it was read (its status is a concurrency token).
        await using (var other = Context())
        {
            var stale = await other.Tasks.SingleAsync(t => t.Id == ids[1]);
            stale.Enqueue(Created.AddSeconds(1));
            await other.SaveChangesAsync();
        }
        tasks[0].Enqueue(Changed);
        tasks[1].Enqueue(Changed);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.UpdateModifiedInBulkAsync<TaskItem>(CancellationToken.None));
        await transaction.RollbackAsync();

        await using var fresh = Context();
        var stored = await fresh.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal([(TaskItemStatus.Created, Created), (TaskItemStatus.Queued, Created.AddSeconds(1))], stored.Select(t => (t.Status, t.UpdatedAt)));
    }

    [Fact]
    public async Task Attempts_get_their_usage_cost_and_errors_with_a_transaction_of_their_own()
    {
        var ids = await CreateTasksAsync(2);
        await using (var setup = Context())
        {
            setup.TaskAttempts.AddRange(ids.Select(id => TaskAttempt.Begin(_tenant, id, 1, "worker-1", Created)));
            await setup.SaveChangesAsync();
        }
        await using var db = Context();
        var attempts = await db.TaskAttempts.Where(a => ids.Contains(a.TaskId)).OrderBy(a => a.TaskId).ToListAsync();
        attempts[0].RecordUsage("gpt-4o-mini", 120, 45, 0.000123m, 850);
        attempts[0].Succeed(Changed);
        attempts[1].Fail(new TaskError("upstream_timeout", "The provider did not answer in 30 s."), Changed);

        // No transaction of the caller's: the two statements (two column sets) commit together.
        Assert.Equal(2, await db.UpdateModifiedInBulkAsync<TaskAttempt>(CancellationToken.None));

        await using var fresh = Context();
        var stored = await fresh.TaskAttempts.AsNoTracking().Where(a => ids.Contains(a.TaskId)).OrderBy(a => a.TaskId).ToListAsync();
        Assert.Equal(attempts.Select(AttemptColumns), stored.Select(AttemptColumns));
        Assert.Equal((TaskAttemptStatus.Failed, (string?)null, (decimal?)null, "upstream_timeout"),
            (stored[1].Status, stored[1].Model, stored[1].Cost, stored[1].ErrorCode));
    }

    [Fact]
    public async Task Nothing_modified_writes_nothing()
    {
        var ids = await CreateTasksAsync(1);
        await using var db = Context();
        await db.Tasks.Where(t => ids.Contains(t.Id)).ToListAsync();

        Assert.Equal(0, await db.UpdateModifiedInBulkAsync<TaskItem>(CancellationToken.None));
    }

    private static object Columns(TaskItem t) =>
        (t.Id, t.Status, t.ScheduledAt, t.LockedBy, t.LockedUntil, t.AttemptCount, t.LastError, t.CancelRequestedAt, t.UpdatedAt, t.FinishedAt);

    private static object AttemptColumns(TaskAttempt a) =>
        (a.Id, a.Status, a.EndedAt, a.Model, a.TokensIn, a.TokensOut, a.Cost, a.LatencyMs, a.ErrorCode, a.ErrorDetail);

    private async Task<List<Guid>> CreateTasksAsync(int count)
    {
        await using var db = Context();
        var tasks = Enumerable.Range(0, count).Select(i => TaskItem.Create(_tenant, "test.bulk", $$"""{"n":{{i}}}""", Created)).ToList();
        db.Tasks.AddRange(tasks);
        await db.SaveChangesAsync();
        return tasks.Select(t => t.Id).Order().ToList();
    }

    private SaasDbContext Context() => TenantDbContexts.Create(_dataSource, _tenant);
}
