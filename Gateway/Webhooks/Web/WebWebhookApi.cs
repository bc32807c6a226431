using System.Text.Json;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.RateLimiting;
using SaasAssistants.Gateway.Widget;

namespace SaasAssistants.Gateway.Webhooks.Web;

/// <summary>
/// POST /v1/webhooks/web/{channelToken}: a visitor's message from the web widget. Every request leaves an audit row,
/// accepted or rejected with a reason; an accepted one is answered 202 only once it and its event are committed.
/// </summary>
public static class WebWebhookApi
{
    public const string SessionHeader = "X-Widget-Session";
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapWebWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/webhooks/web/{channelToken}", ReceiveAsync).WithTags("Webhooks").DisableAntiforgery().RequireWidgetOrigin();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string channelToken, HttpRequest request, ChannelResolver channels,
        WebhookIntake intake, WidgetSessionSigner signer, TenantRateLimiter rateLimiter, AnonymousWebhookLimiter anonymousLimiter, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        var payload = body ?? string.Empty;

        var channel = await channels.ResolveAsync(channelToken, cancellationToken);
        if (channel is null)
        {
            return anonymousLimiter.TryAcquire(request.HttpContext)
                ? await RejectUnattributedAsync(intake, payload, WebhookRejection.UnknownChannel(), cancellationToken)
                : WebhookRejection.AnonymousRateLimited().ToProblem();
        }

        if (WidgetApi.Refuse(channel) is { } refusal)
        {
            return await RejectAsync(intake, channel, payload, refusal, cancellationToken);
        }

        if (body is null)
        {
            return await RejectAsync(intake, channel, payload, WebhookRejection.TooLarge(), cancellationToken);
        }

        WebWidgetPayload? message;
        try
        {
            message = JsonSerializer.Deserialize<WebWidgetPayload>(body, ContractJson.Options);
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            return await RejectAsync(intake, channel, payload, WebhookRejection.MalformedJson(), cancellationToken);
        }

        if (message.Validate() is { Count: > 0 } errors)
        {
            return await RejectAsync(intake, channel, payload, WebhookRejection.InvalidPayload(errors), cancellationToken);
        }

        if (!signer.Verify(channel, message.SessionId!, request.Headers[SessionHeader]))
        {
            return anonymousLimiter.TryAcquire(request.HttpContext)
                ? await RejectAsync(intake, channel, payload, WebhookRejection.InvalidSession(), cancellationToken)
                : WebhookRejection.AnonymousRateLimited().ToProblem();
        }

        if (!await rateLimiter.TryAcquireAsync(channel.TenantId))
        {
            return await RejectAsync(intake, channel, payload, WebhookRejection.RateLimited(), cancellationToken);
        }

        var receivedAt = time.GetUtcNow();
        var webhookEventId = await intake.AcceptAsync(channel, payload, auditId =>
        [
            new InboundMessageReceived
            {
                TenantId = channel.TenantId,
                WebhookEventId = auditId,
                WorkspaceId = channel.WorkspaceId,
                ChannelId = channel.ChannelId,
                ChannelType = ChannelType.Web,
                ExternalContactId = message.SessionId!,
                ChannelMessageId = message.MessageId!,
                Content = MessageContent.FromText(message.Text!.Trim()),
                SentAt = receivedAt,
            },
        ], cancellationToken);
        return TypedResults.Accepted((string?)null, new { webhookEventId });
    }

    /// <summary>The raw body as text, or null when it is larger than a widget message can be.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<IResult> RejectUnattributedAsync(WebhookIntake intake, string payload, WebhookRejection rejection, CancellationToken cancellationToken)
    {
        await intake.RecordUnattributedAsync(ChannelTypes.Web, payload, rejection, cancellationToken);
        return rejection.ToProblem();
    }

    private static async Task<IResult> RejectAsync(WebhookIntake intake, ResolvedChannel channel, string payload, WebhookRejection rejection, CancellationToken cancellationToken)
    {
        await intake.RejectAsync(channel, payload, rejection, cancellationToken);
        return rejection.ToProblem();
    }
}
