using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.RateLimiting;

namespace SaasAssistants.Gateway.Webhooks.Meta;

/// <summary>
/// What WhatsApp's and Instagram's webhooks share: the GET verification handshake, and for a POST the order of checks
/// (channel, size, signature, JSON, the channel's own parser, rate limit) with an audit row at every exit. Answers 200
/// only once the audit row and one event per message are committed; anything else is a problem+json, never a 5xx,
/// and leaves nothing to process.
/// </summary>
public sealed class MetaWebhookReceiver(MessagingChannelResolver channels, WebhookIntake intake, SecretProtector secrets,
    TenantRateLimiter rateLimiter, AnonymousWebhookLimiter anonymousLimiter, ILogger<MetaWebhookReceiver> logger)
{
    /// <summary>Meta's documented maximum payload.</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>Parses a delivery that passed every generic check, for one channel; a rejection when its content is wrong.</summary>
    public delegate ChannelDelivery ParseDelivery(JsonElement root, MessagingChannel channel, out WebhookRejection? rejection);

    public async Task<IResult> VerifyAsync(string channelKey, string channelType, HttpRequest request, CancellationToken cancellationToken)
    {
        var channel = await channels.ResolveAsync(channelKey, cancellationToken);
        if (channel is null || channel.Channel.ChannelType != channelType || channel.VerifyTokenEncrypted is null)
        {
            return WebhookRejection.UnknownChannel().ToProblem();
        }

        var query = request.Query;
        var token = query["hub.verify_token"].ToString();
        var expected = secrets.Unprotect(channel.VerifyTokenEncrypted);
        if (query["hub.mode"] != "subscribe"
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected)))
        {
            logger.LogInformation("Verification of channel {ChannelId} refused: wrong mode or verify token", channel.Channel.ChannelId);
            return TypedResults.Problem(title: "The verify token does not match.", statusCode: StatusCodes.Status403Forbidden,
                type: "https://saasassistants.dev/problems/invalid_verify_token", extensions: new Dictionary<string, object?> { ["reason"] = "invalid_verify_token" });
        }
        return TypedResults.Text(query["hub.challenge"].ToString(), "text/plain");
    }

    public async Task<IResult> ReceiveAsync(string channelKey, string channelType, ChannelType contractType, string expectedObject,
        HttpRequest request, ParseDelivery parse, CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        // A body over the limit is not stored: that is what the limit protects.
        var payload = body is null ? null : Encoding.UTF8.GetString(body);
        var header = request.Headers[MetaSignature.Header].ToString();
        var received = string.IsNullOrEmpty(header) ? null : header[..Math.Min(header.Length, 200)];

        var channel = await channels.ResolveAsync(channelKey, cancellationToken);
        if (channel is null)
        {
            return anonymousLimiter.TryAcquire(request.HttpContext)
                ? await RejectUnattributedAsync(channelType, payload, WebhookRejection.UnknownChannel(), received, cancellationToken)
                : WebhookRejection.AnonymousRateLimited().ToProblem();
        }

        var resolved = channel.Channel;
        if (resolved.ChannelType != channelType || channel.Provider != ChannelProviders.Meta)
        {
            return await RejectAsync(resolved, payload, WebhookRejection.WrongChannelType(), null, cancellationToken);
        }

        if (!resolved.TenantActive || !resolved.ChannelActive)
        {
            return await RejectAsync(resolved, payload, WebhookRejection.ChannelInactive(), null, cancellationToken);
        }

        if (body is null)
        {
            return await RejectAsync(resolved, null, WebhookRejection.TooLarge(), new WebhookSignature(received, false), cancellationToken);
        }

        if (received is null || !MetaSignature.Verify(body, received, secrets.Unprotect(resolved.SecretEncrypted)))
        {
            if (!anonymousLimiter.TryAcquire(request.HttpContext))
            {
                return WebhookRejection.AnonymousRateLimited().ToProblem();
            }

            return await RejectAsync(resolved, payload, received is null ? WebhookRejection.MissingSignature() : WebhookRejection.InvalidSignature(),
                new WebhookSignature(received, false), cancellationToken);
        }
        var signature = new WebhookSignature(received, true);

        ChannelDelivery delivery;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("object", out var kind) || kind.ValueKind != JsonValueKind.String
                || kind.GetString() != expectedObject)
            {
                return await RejectAsync(resolved, payload, WebhookRejection.WrongObject(expectedObject), signature, cancellationToken);
            }

            delivery = parse(root, channel, out var rejection);
            if (rejection is not null)
            {
                return await RejectAsync(resolved, payload, rejection, signature, cancellationToken);
            }
        }
        catch (JsonException)
        {
            return await RejectAsync(resolved, payload, WebhookRejection.MalformedJson(), signature, cancellationToken);
        }

        // Over the limit, Meta is refused and redelivers later (it retries non-200s for days): nothing is lost, and
        // nothing is held here that a crash could lose.
        if (!await rateLimiter.TryAcquireAsync(resolved.TenantId, channel.TenantPlan))
        {
            return await RejectAsync(resolved, payload, WebhookRejection.RateLimited(), signature, cancellationToken);
        }

        var webhookEventId = await intake.AcceptAsync(resolved, payload!, auditId => delivery.Messages.Select(message => (IntegrationEvent)new InboundMessageReceived
        {
            TenantId = resolved.TenantId,
            WebhookEventId = auditId,
            WorkspaceId = resolved.WorkspaceId,
            ChannelId = resolved.ChannelId,
            ChannelType = contractType,
            ExternalContactId = message.ExternalContactId,
            ContactName = message.ContactName,
            ChannelMessageId = message.ChannelMessageId,
            Content = message.Content,
            SentAt = message.SentAt,
        }), cancellationToken, signature, delivery.Statuses);
        return TypedResults.Ok(new { webhookEventId, messages = delivery.Messages.Count, statuses = delivery.Statuses.Count });
    }

    private async Task<IResult> RejectUnattributedAsync(string channelType, string? payload, WebhookRejection rejection, string? signature, CancellationToken cancellationToken)
    {
        await intake.RecordUnattributedAsync(channelType, payload, rejection, cancellationToken, new WebhookSignature(signature, false));
        return rejection.ToProblem();
    }

    private async Task<IResult> RejectAsync(ResolvedChannel channel, string? payload, WebhookRejection rejection, WebhookSignature? signature, CancellationToken cancellationToken)
    {
        await intake.RejectAsync(channel, payload, rejection, cancellationToken, signature);
        return rejection.ToProblem();
    }
}
