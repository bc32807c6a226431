using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Settings;

/// <summary>Reads and saves the signed-in tenant's settings (row level security: only its own tenant row is visible).</summary>
public sealed class SettingsService(SaasDbContext db, TimeProvider clock)
{
    public Task<WorkspaceSettings> GetAsync(CancellationToken cancellationToken)
        => db.Tenants.Select(t => new WorkspaceSettings(t.Name, t.TimeZone, t.Language, t.Plan)).SingleAsync(cancellationToken);

    /// <returns>null when saved, else the code of the invalid field (a resource key: Settings.Error.{code}).</returns>
    public async Task<string?> SaveAsync(string? name, string? timeZone, string? language, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > WorkspaceSettings.MaxNameLength)
        {
            return "name";
        }
        if (string.IsNullOrWhiteSpace(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) || !zone.HasIanaId)
        {
            return "time_zone";
        }
        language = string.IsNullOrEmpty(language) ? null : language;
        if (language is not null && !WorkspaceSettings.Languages.Contains(language))
        {
            return "language";
        }

        var tenant = await db.Tenants.SingleAsync(cancellationToken);
        var changed = new List<string>();
        if (tenant.Name != name)
        {
            tenant.Name = name;
            changed.Add("name");
        }
        if (tenant.TimeZone != timeZone)
        {
            tenant.TimeZone = timeZone;
            changed.Add("time_zone");
        }
        if (tenant.Language != language)
        {
            tenant.Language = language;
            changed.Add("language");
        }
        if (changed.Count > 0)
        {
            db.AuditEvents.Add(new AuditEvent
            {
                Id = Guid.CreateVersion7(), ActorId = actor.GetUserId(), ActorName = actor.Identity?.Name ?? "", Action = AuditActions.SettingsUpdated,
                SubjectType = "tenant", SubjectId = tenant.Id, Details = JsonSerializer.Serialize(new { fields = changed }), OccurredAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        return null;
    }

    /// <summary>IANA time zones (what tenants.time_zone holds), for the page's list.</summary>
    public static IReadOnlyList<string> TimeZones { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Where(z => z.HasIanaId && z.Id.Contains('/', StringComparison.Ordinal)).Select(z => z.Id).Order(StringComparer.Ordinal).ToList();
}
