using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>Times are stored in UTC and shown in the tenant's time zone (tenants.time_zone), read once per request.</summary>
public sealed class TenantClock(SaasDbContext db, ILogger<TenantClock> logger)
{
    private TimeZoneInfo? _timeZone;

    public async Task<TimeZoneInfo> GetTimeZoneAsync(CancellationToken cancellationToken)
    {
        if (_timeZone is not null)
        {
            return _timeZone;
        }

        var id = await db.Tenants.Select(t => t.TimeZone).FirstOrDefaultAsync(cancellationToken);
        if (id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            return _timeZone = found;
        }
        // A bad value in the tenant's settings must not break the CRM: show UTC and say so in the log.
        logger.LogWarning("Tenant time zone {TimeZone} is unknown; showing UTC", id);
        return _timeZone = TimeZoneInfo.Utc;
    }
}
