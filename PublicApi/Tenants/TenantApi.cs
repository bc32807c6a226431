using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Tenants;

/// <summary>GET /api/v{n}/tenant: who the credential acts for, and this month's messages, AI tokens and cost.</summary>
public static class TenantApi
{
    public static RouteHandlerBuilder MapTenantApi(this IEndpointRouteBuilder app)
        => app.NewVersionedApi("Tenant")
            .MapGroup(ApiVersions.Route("/tenant"))
            .HasApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Tenant")
            .RequireApiKey()
            .MapGet("/", GetTenant)
            .WithName("GetTenant")
            .RequireScope(ApiScopes.TenantRead)
            .WithSummary("The account of the credential, with this month's usage (messages, AI tokens and cost).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    public static async Task<Ok<TenantResponse>> GetTenant(SaasDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var since = MonthStart(time.GetUtcNow(), tenant.TimeZone);

        var messages = await db.Messages.Where(m => m.CreatedAt >= since)
            .GroupBy(m => m.Direction)
            .Select(g => new { Direction = g.Key, Count = g.LongCount() })
            .ToDictionaryAsync(g => g.Direction, g => g.Count, cancellationToken);
        var ai = await db.TaskAttempts.Where(a => a.StartedAt >= since)
            .GroupBy(_ => 1)
            .Select(g => new { In = g.Sum(a => (long?)a.TokensIn) ?? 0, Out = g.Sum(a => (long?)a.TokensOut) ?? 0, Cost = g.Sum(a => a.Cost) ?? 0m })
            .FirstOrDefaultAsync(cancellationToken);

        var usage = new TenantUsage(since, messages.GetValueOrDefault(MessageDirection.Inbound), messages.GetValueOrDefault(MessageDirection.Outbound),
            ai?.In ?? 0, ai?.Out ?? 0, ai?.Cost ?? 0m);
        return TypedResults.Ok(new TenantResponse(tenant.Id, tenant.Name, tenant.Plan, tenant.Status, tenant.TimeZone, tenant.CreatedAt, usage));
    }

    /// <summary>The first instant of the current month in the tenant's zone (UTC when the zone is unknown), as UTC.</summary>
    internal static DateTimeOffset MonthStart(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var firstLocal = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(firstLocal, zone.GetUtcOffset(firstLocal)).ToUniversalTime();
    }
}
