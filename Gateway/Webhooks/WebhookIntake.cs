using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.Gateway.Webhooks;

/// <summary>
/// The audit and hand-off of one received webhook, for every channel: the webhook_events row with its outcome and,
/// when accepted, the outbox rows that carry it on (and the delivery states it reports), all in one transaction. The
/// sender gets its 2xx only after this returns, so an accepted webhook is durable before it is acknowledged.
/// </summary>
public sealed class WebhookIntake(IServiceProvider services, AcceptedWebhookWriter writer, TimeProvider time, ILogger<WebhookIntake> logger)
{
    // The request's DbContext only on the rare paths (rejections, delivery statuses): building one for every accepted
    // delivery, which never uses it, was a tenth of the Gateway's CPU per request (bench/GatewayIntake, perf).
    private SaasDbContext Db => services.GetRequiredService<SaasDbContext>();

    private ITenantContext Tenant => services.GetRequiredService<ITenantContext>();

    /// <summary>A webhook whose channel could not be resolved: audited without a tenant.</summary>
    public async Task RecordUnattributedAsync(string channelType, string? payload, WebhookRejection rejection, CancellationToken cancellationToken,
        WebhookSignature? signature = null)
    {
        var audit = NewAudit(null, channelType, payload, signature);
        audit.Reject(rejection.Reason, time.GetUtcNow());
        Db.WebhookEvents.Add(audit);
        await Db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Webhook {WebhookEventId} on {ChannelType} rejected: {Reason}", audit.Id, channelType, rejection.Reason);
    }

    public async Task RejectAsync(ResolvedChannel channel, string? payload, WebhookRejection rejection, CancellationToken cancellationToken,
        WebhookSignature? signature = null)
    {
        Tenant.SetTenant(channel.TenantId);
        var audit = NewAudit(channel, channel.ChannelType, payload, signature);
        audit.Reject(rejection.Reason, time.GetUtcNow());
        Db.WebhookEvents.Add(audit);
        await Db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Webhook {WebhookEventId} for channel {ChannelId} rejected: {Reason}", audit.Id, channel.ChannelId, rejection.Reason);
    }

    /// <summary>Accepts the webhook; <paramref name="toEvents"/> turns the audit row's id into the events to publish.</summary>
    public async Task<Guid> AcceptAsync(ResolvedChannel channel, string payload, Func<Guid, IEnumerable<IntegrationEvent>> toEvents, CancellationToken cancellationToken,
        WebhookSignature? signature = null, IReadOnlyList<DeliveryUpdate>? deliveryUpdates = null)
    {
        var audit = NewAudit(channel, channel.ChannelType, payload, signature);
        audit.Accept(time.GetUtcNow());
        var events = toEvents(audit.Id).ToList();
        if (deliveryUpdates is not { Count: > 0 })
        {
            // The common case (messages only), on the intake's hot path: one round trip, no change tracker.
            await writer.WriteAsync(new AcceptedWebhook(audit.Id, channel.TenantId, channel.ChannelId, audit.ChannelType, audit.CorrelationId, payload,
                audit.Signature, audit.SignatureVerified, audit.ReceivedAt, audit.ProcessedAt!.Value), events, cancellationToken);
        }
        else
        {
            Tenant.SetTenant(channel.TenantId);
            var db = Db;
            db.WebhookEvents.Add(audit);
            foreach (var @event in events)
            {
                db.AddIntegrationEvent(@event);
            }

            // The status updates and the audit row commit together, like an event and its audit row.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var update in deliveryUpdates)
            {
                await ApplyDeliveryUpdateAsync(channel, update, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // Debug, not Information: the audit row already records every accepted delivery, and a line per message at
        // intake rates queued every request behind the console sink's lock (bench/GatewayIntake: 18 % of thread time).
        logger.LogDebug("Webhook {WebhookEventId} for channel {ChannelId} accepted", audit.Id, channel.ChannelId);
        return audit.Id;
    }

    /// <summary>
    /// Moves an outbound message's delivery state forward, never back: Meta may report "read" before "delivered", and
    /// a retried status webhook repeats one already applied. A status for an id no message has yet is kept in
    /// pending_delivery_updates: Meta can report "sent" before our send's HTTP answer gave us the wamid, and message.send
    /// applies what waits there when it stores the id. Both sides hold the same advisory lock on the id, so whichever
    /// commits second sees the other's row.
    /// </summary>
    private async Task ApplyDeliveryUpdateAsync(ResolvedChannel channel, DeliveryUpdate update, CancellationToken cancellationToken)
    {
        var order = DeliveryStatuses.InOrder;
        await Db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({update.ChannelMessageId}, 0))", cancellationToken);
        await Db.Database.ExecuteSqlAsync($"""
            WITH updated AS (
                UPDATE messages
                SET delivery_status = {update.Status}, delivery_error = COALESCE({update.Error}::text, delivery_error), delivery_updated_at = {update.At}
                WHERE tenant_id = {channel.TenantId} AND channel_id = {channel.ChannelId} AND channel_message_id = {update.ChannelMessageId}
                  AND direction = 'outbound'
                  AND COALESCE(array_position({order}::text[], delivery_status), 0) < array_position({order}::text[], {update.Status}::text)
                RETURNING id)
            INSERT INTO pending_delivery_updates (tenant_id, channel_id, channel_message_id, status, error, occurred_at)
            SELECT {channel.TenantId}, {channel.ChannelId}, {update.ChannelMessageId}, {update.Status}, {update.Error}::text, {update.At}
            WHERE NOT EXISTS (SELECT 1 FROM updated)
              AND NOT EXISTS (SELECT 1 FROM messages
                              WHERE tenant_id = {channel.TenantId} AND channel_id = {channel.ChannelId} AND channel_message_id = {update.ChannelMessageId})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
    }

    private WebhookEvent NewAudit(ResolvedChannel? channel, string channelType, string? payload, WebhookSignature? signature) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = channel?.TenantId,
        ChannelId = channel?.ChannelId,
        ChannelType = channelType,
        CorrelationId = CorrelationContext.Current,
        Payload = payload,
        Signature = signature?.Header,
        SignatureVerified = signature?.Verified,
        ReceivedAt = time.GetUtcNow(),
    };
}
