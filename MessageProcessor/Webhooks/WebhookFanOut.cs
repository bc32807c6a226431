using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// Turns one integration event into a delivery (and its <c>webhook.deliver</c> task) for every active subscription of
/// the event's tenant that asked for the event: all in one SaveChanges, the tasks' wake-ups through the outbox. Looked
/// up under the event's tenant only, so another tenant's subscription never sees it. A redelivered event finds its
/// deliveries already made (unique per subscription and event) and adds none.
/// </summary>
public sealed class WebhookFanOut(SaasDbContext db, ITenantContext tenant, IOptions<WebhookDeliveryOptions> options, TimeProvider time)
{
    public async Task FanOutAsync(IntegrationEvent source, string eventType, object data, CancellationToken cancellationToken)
    {
        tenant.SetTenant(source.TenantId);
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.Status == "active" && s.Events.Contains(eventType))
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return;
        }
        var done = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EventId == source.EventId)
            .Select(d => d.SubscriptionId).ToListAsync(cancellationToken);

        var now = time.GetUtcNow();
        var settings = options.Value;
        // Standard Webhooks' recommended envelope; the body is fixed now, so every attempt signs the same bytes.
        var body = JsonSerializer.Serialize(new WebhookEnvelope(eventType, source.OccurredAt, data), ContractJson.Options);
        foreach (var subscriptionId in subscriptions.Except(done))
        {
            var deliveryId = Guid.CreateVersion7(now);
            var task = WebhookDeliveryTasks.Create(source.TenantId, deliveryId, now + settings.RetryWindow, settings.MaxAttempts, now, CorrelationContext.Current);
            db.Tasks.Add(task);
            foreach (var @event in task.TakeEvents())
            {
                db.AddIntegrationEvent(@event);
            }
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = deliveryId,
                SubscriptionId = subscriptionId,
                EventId = source.EventId,
                EventType = eventType,
                // One id per event: every retry and replay carries it, and a receiver de-duplicates on it.
                MessageId = "msg_" + source.EventId.ToString("N"),
                Body = body,
                TaskId = task.Id,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record WebhookEnvelope(string Type, DateTimeOffset Timestamp, object Data);
}
