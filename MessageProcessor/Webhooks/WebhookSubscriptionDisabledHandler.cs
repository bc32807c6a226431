using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events.Webhooks;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// Tells the tenant that a subscription was disabled: a <see cref="TenantNotification"/> the CRM shows until someone
/// reads it. Idempotent on the event's id, so a redelivered event adds nothing.
/// </summary>
public sealed class WebhookSubscriptionDisabledHandler(SaasDbContext db, ITenantContext tenant, TimeProvider time)
    : IIntegrationEventHandler<WebhookSubscriptionDisabled>
{
    public async Task HandleAsync(WebhookSubscriptionDisabled @event, CancellationToken cancellationToken)
    {
        tenant.SetTenant(@event.TenantId);
        // ON CONFLICT rather than a look-up first: two consumers of one redelivered event cannot both insert.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO tenant_notifications (id, tenant_id, kind, subject_id, subject, detail, source_event_id, created_at)
            VALUES ({Guid.CreateVersion7()}, {@event.TenantId}, {TenantNotification.WebhookSubscriptionDisabled}, {@event.SubscriptionId},
                    {@event.Url}, {@event.Reason}, {@event.EventId}, {time.GetUtcNow()})
            ON CONFLICT (tenant_id, source_event_id) DO NOTHING
            """, cancellationToken);
    }
}
