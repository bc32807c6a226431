using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Gateway.Webhooks.Meta;

namespace SaasAssistants.Gateway.Webhooks.Instagram;

/// <summary><c>GET|POST /v1/webhooks/instagram/{channelKey}</c>: Instagram Messaging, with WhatsApp's verification and signature.</summary>
public static class InstagramWebhookApi
{
    public static IEndpointRouteBuilder MapInstagramWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhooks/instagram/{channelKey}").WithTags("Webhooks").DisableAntiforgery();
        group.MapGet("", (string channelKey, HttpRequest request, MetaWebhookReceiver receiver, CancellationToken cancellationToken)
            => receiver.VerifyAsync(channelKey, ChannelTypes.Instagram, request, cancellationToken));
        group.MapPost("", (string channelKey, HttpRequest request, MetaWebhookReceiver receiver, CancellationToken cancellationToken)
            => receiver.ReceiveAsync(channelKey, ChannelTypes.Instagram, ChannelType.Instagram, InstagramDeliveryParser.ObjectName, request,
                InstagramDeliveryParser.Parse, cancellationToken));
        return app;
    }
}
