using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>GET /api/v1/tasks/stats: a few aggregate queries over the scope's tenant (EF's filter, and RLS under the raw SQL).</summary>
internal static class TaskStatsQuery
{
    private static readonly TimeSpan DurationWindow = TimeSpan.FromHours(24);

    public static async Task<TaskStatsResponse> RunAsync(SaasDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var statusCounts = await db.Tasks.GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var byStatus = Enum.GetValues<TaskItemStatus>().ToDictionary(s => s.ToString(), s => statusCounts.GetValueOrDefault(s));

        var byType = await db.Tasks.GroupBy(t => t.Type)
            .Select(g => new { Type = g.Key, Count = g.Count() })
            .OrderBy(g => g.Type)
            .ToDictionaryAsync(g => g.Type, g => g.Count, StringComparer.Ordinal, cancellationToken);

        var waiting = await db.Tasks.Where(t => t.Status == TaskItemStatus.Queued && t.ScheduledAt <= now)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), OldestDueAt = g.Min(t => t.ScheduledAt) })
            .FirstOrDefaultAsync(cancellationToken);

        // percentile_cont has no LINQ translation. The tenant condition repeats what row level security already enforces,
        // because EF's query filter does not reach raw SQL.
        var since = now - DurationWindow;
        var durations = await db.Database.SqlQuery<DurationRow>($"""
            SELECT count(*)::int AS "Count",
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)::float8) AS "P50",
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)::float8) AS "P95",
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)::float8) AS "P99"
            FROM tasks
            WHERE tenant_id = {db.CurrentTenantId} AND status = 'Succeeded' AND started_at IS NOT NULL AND finished_at >= {since}
            """).SingleAsync(cancellationToken);

        return new TaskStatsResponse(
            byStatus,
            byType,
            waiting?.Count ?? 0,
            waiting is null ? null : Math.Max(0, (now - waiting.OldestDueAt).TotalSeconds),
            new TaskDurationStats(durations.Count, durations.P50, durations.P95, durations.P99));
    }

    private sealed record DurationRow(int Count, double? P50, double? P95, double? P99);
}
