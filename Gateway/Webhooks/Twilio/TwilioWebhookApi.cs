using Microsoft.AspNetCore.Http.Extensions;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.RateLimiting;

namespace SaasAssistants.Gateway.Webhooks.Twilio;

/// <summary>
/// <c>POST /v1/webhooks/twilio/{channelKey}</c>: Twilio's WhatsApp webhooks (incoming messages and status callbacks),
/// form-encoded and signed with X-Twilio-Signature. Same audit and durability rules as Meta's: 200 (empty TwiML) only
/// once the audit row and the event are committed. Idempotent on MessageSid downstream, like a wamid.
/// </summary>
public static class TwilioWebhookApi
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/webhooks/twilio/{channelKey}", ReceiveAsync).WithTags("Webhooks").DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string channelKey, HttpRequest request, MessagingChannelResolver channels, WebhookIntake intake,
        SecretProtector secrets, TenantRateLimiter rateLimiter, AnonymousWebhookLimiter anonymousLimiter, TimeProvider time, CancellationToken cancellationToken)
    {
        var bytes = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        var payload = bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);
        var header = request.Headers[TwilioSignature.Header].ToString();
        var received = string.IsNullOrEmpty(header) ? null : header[..Math.Min(header.Length, 200)];

        var channel = await channels.ResolveAsync(channelKey, cancellationToken);
        if (channel is null)
        {
            if (!anonymousLimiter.TryAcquire(request.HttpContext))
            {
                return WebhookRejection.AnonymousRateLimited().ToProblem();
            }

            await intake.RecordUnattributedAsync(ChannelTypes.WhatsApp, payload, WebhookRejection.UnknownChannel(), cancellationToken, new WebhookSignature(received, false));
            return WebhookRejection.UnknownChannel().ToProblem();
        }
        var resolved = channel.Channel;
        WebhookRejection? rejection = null;
        Dictionary<string, string>? form = null;
        if (resolved.ChannelType != ChannelTypes.WhatsApp || channel.Provider != ChannelProviders.Twilio)
        {
            rejection = WebhookRejection.WrongChannelType();
        }
        else if (!resolved.TenantActive || !resolved.ChannelActive)
        {
            rejection = WebhookRejection.ChannelInactive();
        }
        else if (payload is null)
        {
            rejection = WebhookRejection.TooLarge();
        }
        else if (received is null)
        {
            rejection = WebhookRejection.MissingSignature();
        }
        else
        {
            form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(payload).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            if (!TwilioSignature.Verify(request.GetEncodedUrl(), form, received, secrets.Unprotect(resolved.SecretEncrypted)))
            {
                rejection = WebhookRejection.InvalidSignature();
            }
        }
        if (rejection is { Reason: "missing_signature" or "invalid_signature" } && !anonymousLimiter.TryAcquire(request.HttpContext))
        {
            return WebhookRejection.AnonymousRateLimited().ToProblem();
        }

        var verified = rejection is null;
        var signature = new WebhookSignature(received, verified);

        var now = time.GetUtcNow();
        var status = verified ? TwilioMessageMapper.ToStatus(form!, now) : null;
        var message = verified && status is null ? TwilioMessageMapper.ToMessage(form!, now) : null;
        if (verified && status is null && message is null && !form!.ContainsKey("MessageStatus"))
        {
            rejection = WebhookRejection.InvalidPayload(new Dictionary<string, string[]> { ["MessageSid"] = ["MessageSid and From (or MessageStatus) are required."] });
        }
        else if (verified && form!.GetValueOrDefault("To") is { } to && channel.ExternalId is { } number && status is null && to != number)
        {
            rejection = WebhookRejection.UnknownAccount("To number");
        }
        else if (verified && !await rateLimiter.TryAcquireAsync(resolved.TenantId, channel.TenantPlan))
        {
            rejection = WebhookRejection.RateLimited();
        }

        if (rejection is not null)
        {
            await intake.RejectAsync(resolved, payload, rejection, cancellationToken, signature);
            return rejection.ToProblem();
        }

        await intake.AcceptAsync(resolved, payload!, auditId => message is null ? [] :
        [
            new InboundMessageReceived
            {
                TenantId = resolved.TenantId,
                WebhookEventId = auditId,
                WorkspaceId = resolved.WorkspaceId,
                ChannelId = resolved.ChannelId,
                ChannelType = ChannelType.WhatsApp,
                ExternalContactId = message.ExternalContactId,
                ContactName = message.ContactName,
                ChannelMessageId = message.ChannelMessageId,
                Content = message.Content,
                SentAt = message.SentAt,
            },
        ], cancellationToken, signature, status is null ? null : [status]);
        // Empty TwiML: nothing to reply synchronously; the assistant's answer goes out through the API.
        return TypedResults.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml");
    }
}
