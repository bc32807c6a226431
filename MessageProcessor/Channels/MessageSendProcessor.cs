using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>
/// <c>message.send</c>: delivers one stored outbound message to its customer on WhatsApp or Instagram.
/// <para>
/// No duplicate sends: the id the channel returns (wamid / mid) is committed on the message before the attempt ends,
/// and an attempt that finds it already stored does not send again. What remains is the window between the channel
/// accepting the send and that commit: a worker that dies exactly there sends once more when the task is retried
/// (Meta has no idempotency key to close it).
/// </para>
/// WhatsApp's 24-hour rule is checked before sending: outside the window only a template goes out; a free-form
/// message fails at once with <c>outside_service_window</c>, as Meta would refuse it (131047).
/// </summary>
public sealed class MessageSendProcessor(SecretProtector secrets, IOptions<ChannelsOptions> options, TimeProvider time) : ITaskProcessor
{
    public const string TaskType = "message.send";

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => MessageSendPayload.Validate(payload);

    public async Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        var payload = MessageSendPayload.From(context.Payload);
        var db = context.Services.GetRequiredService<SaasDbContext>();
        // A typed HttpClient is short-lived by design (its handler rotates), so it comes from the task's scope.
        var graph = context.Services.GetRequiredService<GraphApiClient>();
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.Id == payload.MessageId && m.Direction == MessageDirection.Outbound)
            .Select(m => new { m.Id, m.TenantId, m.ChannelId, m.ConversationId, m.ChannelMessageId, m.Content })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new ChannelSendException(ChannelSendException.MessageNotFound, false, $"Outbound message {payload.MessageId} does not exist.");
        if (message.ChannelMessageId is { } alreadySent)
        {
            return Sent(alreadySent, repeated: true);
        }

        var target = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == message.ConversationId)
            .Select(c => new
            {
                Customer = c.Contact!.ExternalId, c.Channel!.Type, c.Channel.Provider, c.Channel.ExternalId, c.Channel.AccessTokenEncrypted,
                c.Channel.ProviderAccountId, c.Channel.SecretEncrypted,
            })
            .SingleAsync(cancellationToken);
        try
        {
            var text = message.Content.Text ?? string.Empty;
            string channelMessageId;
            if (target.Type == ChannelTypes.WhatsApp && target.Provider == ChannelProviders.Twilio && target.ExternalId is { } from && target.ProviderAccountId is { } accountSid)
            {
                // Twilio's own templates are a separate Content API; through Twilio only the window's free-form sends are supported.
                await EnsureInsideServiceWindowAsync(db, message.ConversationId, cancellationToken);
                var twilio = context.Services.GetRequiredService<TwilioClient>();
                channelMessageId = await twilio.SendWhatsAppTextAsync(accountSid, secrets.Unprotect(target.SecretEncrypted), from, target.Customer, text, cancellationToken);
                await MarkSentAsync(db, message.TenantId, message.ChannelId, message.Id, channelMessageId, cancellationToken);
                return Sent(channelMessageId, repeated: false);
            }
            if (target.ExternalId is null || target.AccessTokenEncrypted is null || target.Provider != ChannelProviders.Meta)
            {
                throw new ChannelSendException(ChannelSendException.ChannelNotSendable, false, $"A {target.Type} channel without Graph API credentials cannot send.");
            }

            var token = secrets.Unprotect(target.AccessTokenEncrypted);
            switch (target.Type)
            {
                case ChannelTypes.WhatsApp when payload.Template is { } template:
                    channelMessageId = await graph.SendWhatsAppTemplateAsync(target.ExternalId, token, target.Customer, template, cancellationToken);
                    break;
                case ChannelTypes.WhatsApp:
                    await EnsureInsideServiceWindowAsync(db, message.ConversationId, cancellationToken);
                    channelMessageId = await graph.SendWhatsAppTextAsync(target.ExternalId, token, target.Customer, text, cancellationToken);
                    break;
                case ChannelTypes.Instagram:
                    channelMessageId = await graph.SendInstagramTextAsync(target.ExternalId, token, target.Customer, text, cancellationToken);
                    break;
                default:
                    throw new ChannelSendException(ChannelSendException.ChannelNotSendable, false, $"Messages to a {target.Type} channel are not sent by message.send.");
            }
            await MarkSentAsync(db, message.TenantId, message.ChannelId, message.Id, channelMessageId, cancellationToken);
            return Sent(channelMessageId, repeated: false);
        }
        catch (ChannelSendException failure) when (!failure.IsRetryable || context.Attempt >= context.MaxAttempts)
        {
            // The last word on this message: the CRM and the API show it failed, with the channel's code.
            await MarkFailedAsync(db, message.Id, failure.ErrorCode, CancellationToken.None);
            throw;
        }
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        ChannelSendException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        _ => TaskFailure.Unexpected(exception),
    };

    private async Task EnsureInsideServiceWindowAsync(SaasDbContext db, Guid conversationId, CancellationToken cancellationToken)
    {
        var lastFromCustomer = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound)
            .MaxAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
        if (lastFromCustomer is null || time.GetUtcNow() - lastFromCustomer.Value > options.Value.ServiceWindow)
        {
            throw new ChannelSendException(ChannelSendException.OutsideServiceWindow, false,
                "The customer's last message is older than the 24-hour service window: only a template can be sent.");
        }
    }

    /// <summary>
    /// Stores the channel's id for the message and applies any status that arrived before it (kept by the Gateway in
    /// pending_delivery_updates), under the same advisory lock on the id the Gateway takes, so none is lost.
    /// </summary>
    private async Task MarkSentAsync(SaasDbContext db, Guid tenantId, Guid channelId, Guid messageId, string channelMessageId, CancellationToken cancellationToken)
    {
        var order = DeliveryStatuses.InOrder;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({channelMessageId}, 0))", cancellationToken);
        // A status webhook may already have moved it further; "sent" only replaces nothing or "queued".
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages
            SET channel_message_id = {channelMessageId},
                delivery_status = CASE WHEN delivery_status IS NULL OR delivery_status = 'queued' THEN 'sent' ELSE delivery_status END,
                delivery_updated_at = {time.GetUtcNow()}
            WHERE id = {messageId}
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages m
            SET delivery_status = p.status, delivery_error = COALESCE(p.error, m.delivery_error), delivery_updated_at = p.occurred_at
            FROM (SELECT status, error, occurred_at FROM pending_delivery_updates
                  WHERE tenant_id = {tenantId} AND channel_id = {channelId} AND channel_message_id = {channelMessageId}
                  ORDER BY array_position({order}::text[], status) DESC LIMIT 1) p
            WHERE m.id = {messageId}
              AND COALESCE(array_position({order}::text[], m.delivery_status), 0) < array_position({order}::text[], p.status)
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM pending_delivery_updates
            WHERE tenant_id = {tenantId} AND channel_id = {channelId} AND channel_message_id = {channelMessageId}
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private Task MarkFailedAsync(SaasDbContext db, Guid messageId, string errorCode, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET delivery_status = 'failed', delivery_error = {errorCode}, delivery_updated_at = {time.GetUtcNow()}
            WHERE id = {messageId} AND channel_message_id IS NULL
            """, cancellationToken);

    private static TaskResult Sent(string channelMessageId, bool repeated) =>
        new([TaskOutput.Json(JsonSerializer.Serialize(new { channelMessageId, repeated }))]);
}
