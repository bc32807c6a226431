using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.Gateway.Webhooks;

/// <summary>
/// The audit and hand-off of one received webhook, for every channel: the webhook_events row with its outcome and,
/// when accepted, the outbox rows that carry it on, all in one SaveChanges (one transaction). The sender gets its 2xx
/// only after this returns, so an accepted webhook is durable before it is acknowledged.
/// </summary>
public sealed class WebhookIntake(SaasDbContext db, ITenantContext tenant, TimeProvider time, ILogger<WebhookIntake> logger)
{
    /// <summary>A webhook whose channel could not be resolved: audited without a tenant.</summary>
    public async Task RecordUnattributedAsync(string channelType, string payload, WebhookRejection rejection, CancellationToken cancellationToken)
    {
        var audit = NewAudit(null, channelType, payload);
        audit.Reject(rejection.Reason, time.GetUtcNow());
        db.WebhookEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Webhook {WebhookEventId} on {ChannelType} rejected: {Reason}", audit.Id, channelType, rejection.Reason);
    }

    public async Task RejectAsync(ResolvedChannel channel, string payload, WebhookRejection rejection, CancellationToken cancellationToken)
    {
        tenant.SetTenant(channel.TenantId);
        var audit = NewAudit(channel, channel.ChannelType, payload);
        audit.Reject(rejection.Reason, time.GetUtcNow());
        db.WebhookEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Webhook {WebhookEventId} for channel {ChannelId} rejected: {Reason}", audit.Id, channel.ChannelId, rejection.Reason);
    }

    /// <summary>Accepts the webhook; <paramref name="toEvents"/> turns the audit row's id into the events to publish.</summary>
    public async Task<Guid> AcceptAsync(ResolvedChannel channel, string payload, Func<Guid, IEnumerable<IntegrationEvent>> toEvents, CancellationToken cancellationToken)
    {
        tenant.SetTenant(channel.TenantId);
        var audit = NewAudit(channel, channel.ChannelType, payload);
        audit.Accept(time.GetUtcNow());
        db.WebhookEvents.Add(audit);
        foreach (var @event in toEvents(audit.Id))
            db.AddIntegrationEvent(@event);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Webhook {WebhookEventId} for channel {ChannelId} accepted", audit.Id, channel.ChannelId);
        return audit.Id;
    }

    private WebhookEvent NewAudit(ResolvedChannel? channel, string channelType, string payload) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = channel?.TenantId,
        ChannelId = channel?.ChannelId,
        ChannelType = channelType,
        CorrelationId = CorrelationContext.Current,
        Payload = payload,
        ReceivedAt = time.GetUtcNow(),
    };
}
