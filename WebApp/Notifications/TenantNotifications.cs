using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Notifications;

/// <summary>
/// The tenant's notices (tenant_notifications, written by the MessageProcessor, e.g. when a webhook subscription is
/// disabled): the unread ones for the banner, one for its page, and marking one read for the whole tenant. Through the
/// tenant-filtered context, so another tenant's notice is never found.
/// </summary>
public static class TenantNotifications
{
    /// <summary>The banner shows this many, newest first; a tenant with more reads them on their pages.</summary>
    public const int BannerLimit = 5;

    public static Task<List<TenantNotification>> UnreadAsync(SaasDbContext db, CancellationToken cancellationToken)
        => db.TenantNotifications.AsNoTracking().Where(n => n.ReadAt == null)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(BannerLimit).ToListAsync(cancellationToken);

    public static Task<TenantNotification?> FindAsync(SaasDbContext db, Guid id, CancellationToken cancellationToken)
        => db.TenantNotifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken);

    /// <returns>False when the tenant has no such notice.</returns>
    public static async Task<bool> MarkReadAsync(SaasDbContext db, Guid id, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read once: a second click (or a second agent) keeps the first reader and time.
        await db.TenantNotifications.Where(n => n.Id == id && n.ReadAt == null)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now).SetProperty(x => x.ReadBy, userId), cancellationToken);
        return await db.TenantNotifications.AnyAsync(n => n.Id == id, cancellationToken);
    }
}
