using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.Webhooks;

namespace SaasAssistants.Gateway.Widget;

/// <summary>
/// What the widget's script talks to, besides the web webhook: a visitor session, the live stream of replies
/// (Server-Sent Events: the browser's own EventSource, reconnects by itself, no library) and the session's history.
/// </summary>
public static class WidgetApi
{
    public static IEndpointRouteBuilder MapWidget(this IEndpointRouteBuilder app)
    {
        var widget = app.MapGroup("/v1/widget/{channelToken}").WithTags("Widget").RequireWidgetOrigin();
        widget.MapPost("/sessions", StartSessionAsync);
        widget.MapGet("/sessions/{sessionId}/events", StreamReplies);
        widget.MapGet("/sessions/{sessionId}/messages", GetHistoryAsync);
        app.MapDemoPage();
        return app;
    }

    private static async Task<IResult> StartSessionAsync(string channelToken, ChannelResolver channels, WidgetSessionSigner signer,
        SaasDbContext db, ITenantContext tenant, CancellationToken cancellationToken)
    {
        var channel = await channels.ResolveAsync(channelToken, cancellationToken);
        if (Refuse(channel) is { } refusal)
        {
            return refusal.ToProblem();
        }

        tenant.SetTenant(channel!.TenantId);
        var assistant = channel.AssistantId is { } assistantId
            ? await db.Assistants.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assistantId, cancellationToken)
            : null;
        var session = signer.Issue(channel);
        return TypedResults.Created((string?)null, new
        {
            session.SessionId,
            session.SessionToken,
            session.ExpiresAt,
            AssistantName = assistant?.Name,
            assistant?.Greeting,
        });
    }

    private static async Task<IResult> StreamReplies(string channelToken, string sessionId, string? token, ChannelResolver channels,
        WidgetSessionSigner signer, WidgetConnections connections, IOptions<WidgetOptions> options, CancellationToken cancellationToken)
    {
        var channel = await channels.ResolveAsync(channelToken, cancellationToken);
        if (Refuse(channel) is { } refusal)
        {
            return refusal.ToProblem();
        }

        if (!signer.Verify(channel!, sessionId, token))
        {
            return WebhookRejection.InvalidSession().ToProblem();
        }

        return TypedResults.ServerSentEvents(Stream(connections.Subscribe(channel!.ChannelId, sessionId), options.Value.HeartbeatInterval, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<WidgetMessage?>> Stream(WidgetConnections.Subscription subscription, TimeSpan heartbeat,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        yield return new SseItem<WidgetMessage?>(null, "ready") { ReconnectionInterval = TimeSpan.FromSeconds(3) };
        while (!cancellationToken.IsCancellationRequested)
        {
            WidgetMessage? message = null;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(heartbeat);
                try
                {
                    message = await subscription.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Quiet for a while: fall through to a heartbeat.
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
            yield return message is null
                ? new SseItem<WidgetMessage?>(null, "ping")
                : new SseItem<WidgetMessage?>(message, "message") { EventId = message.Id.ToString() };
        }
    }

    private static async Task<IResult> GetHistoryAsync(string channelToken, string sessionId, string? token, ChannelResolver channels,
        WidgetSessionSigner signer, SaasDbContext db, ITenantContext tenant, CancellationToken cancellationToken)
    {
        var channel = await channels.ResolveAsync(channelToken, cancellationToken);
        if (Refuse(channel) is { } refusal)
        {
            return refusal.ToProblem();
        }

        if (!signer.Verify(channel!, sessionId, token))
        {
            return WebhookRejection.InvalidSession().ToProblem();
        }

        tenant.SetTenant(channel!.TenantId);
        var messages = await (
                from message in db.Messages
                join conversation in db.Conversations on message.ConversationId equals conversation.Id
                join contact in db.Contacts on conversation.ContactId equals contact.Id
                where contact.ChannelId == channel.ChannelId && contact.ExternalId == sessionId
                orderby message.CreatedAt
                select new { message.Id, message.Direction, message.Content, message.CreatedAt })
            .AsNoTracking()
            .Take(200)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(messages.Select(m => new WidgetMessage(
            m.Id, m.Direction.ToString().ToLowerInvariant(), m.Content.Text, m.CreatedAt)));
    }

    internal static WebhookRejection? Refuse(ResolvedChannel? channel) => channel switch
    {
        null => WebhookRejection.UnknownChannel(),
        { ChannelType: not ChannelTypes.Web } => WebhookRejection.WrongChannelType(),
        { ChannelActive: false } or { TenantActive: false } => WebhookRejection.ChannelInactive(),
        _ => null,
    };
}
