using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Database;

namespace SaasAssistants.MessageProcessor.Budgets;

/// <summary>
/// The tenant's monthly AI spend against its budget: the recorded cost of every task attempt since the start of the
/// month (UTC). Unpriced attempts (cost null) cannot be counted, and are not: they are flagged on the attempt instead.
/// </summary>
public sealed class AiBudget(IOptions<AiBudgetOptions> options, TimeProvider clock)
{
    public async Task<BudgetStatus> CheckAsync(SaasDbContext db, CancellationToken cancellationToken)
    {
        // The scope's tenant (query filter and row level security): one row.
        var tenant = await db.Tenants.AsNoTracking().Select(t => new { t.Plan, t.AiMonthlyBudgetUsd }).SingleAsync(cancellationToken);
        var limit = tenant.AiMonthlyBudgetUsd ?? (options.Value.Plans.TryGetValue(tenant.Plan, out var planLimit) ? planLimit : null);
        if (limit is null)
        {
            return new BudgetStatus(null, 0m);
        }

        var now = clock.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var spent = await db.TaskAttempts.Where(a => a.StartedAt >= monthStart && a.Cost != null).SumAsync(a => a.Cost ?? 0m, cancellationToken);
        return new BudgetStatus(limit, spent);
    }
}

/// <summary>A month's limit (null: none) and what was spent so far.</summary>
public sealed record BudgetStatus(decimal? LimitUsd, decimal SpentUsd)
{
    public bool IsReached => LimitUsd is { } limit && SpentUsd >= limit;
}
