using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Gateway.Webhooks.Meta;

namespace SaasAssistants.Gateway.Webhooks.WhatsApp;

/// <summary>
/// <c>GET|POST /v1/webhooks/whatsapp/{channelKey}</c>: each channel's own callback URL for the WhatsApp Cloud API
/// (the CRM shows it for pasting into Meta's app dashboard).
/// </summary>
public static class WhatsAppWebhookApi
{
    public static IEndpointRouteBuilder MapWhatsAppWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhooks/whatsapp/{channelKey}").WithTags("Webhooks").DisableAntiforgery();
        group.MapGet("", (string channelKey, HttpRequest request, MetaWebhookReceiver receiver, CancellationToken cancellationToken)
            => receiver.VerifyAsync(channelKey, ChannelTypes.WhatsApp, request, cancellationToken));
        group.MapPost("", (string channelKey, HttpRequest request, MetaWebhookReceiver receiver, CancellationToken cancellationToken)
            => receiver.ReceiveAsync(channelKey, ChannelTypes.WhatsApp, ChannelType.WhatsApp, WhatsAppDeliveryParser.ObjectName, request,
                WhatsAppDeliveryParser.Parse, cancellationToken));
        return app;
    }
}
