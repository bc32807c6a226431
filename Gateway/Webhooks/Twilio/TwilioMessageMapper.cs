using System.Globalization;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.Gateway.Webhooks.Twilio;

/// <summary>
/// A Twilio WhatsApp webhook's form to what it means: an incoming message (Body, MediaUrlN, Latitude/Longitude,
/// ButtonPayload) or a status callback (MessageStatus) on one of our sends. Twilio sends one message per request.
/// </summary>
public static class TwilioMessageMapper
{
    public static ReceivedMessage? ToMessage(IReadOnlyDictionary<string, string> form, DateTimeOffset receivedAt)
    {
        var from = Strip(form.GetValueOrDefault("From"));
        var sid = form.GetValueOrDefault("MessageSid");
        if (from is null || sid is null)
        {
            return null;
        }

        var body = form.GetValueOrDefault("Body");
        MessageContent content;
        var mediaCount = int.TryParse(form.GetValueOrDefault("NumMedia"), CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (form.TryGetValue("Latitude", out var lat) && form.TryGetValue("Longitude", out var lon)
            && double.TryParse(lat, CultureInfo.InvariantCulture, out var latitude) && double.TryParse(lon, CultureInfo.InvariantCulture, out var longitude))
        {
            content = new MessageContent(MessageContentType.Location, form.GetValueOrDefault("Label"))
            {
                Location = new LocationContent(latitude, longitude, form.GetValueOrDefault("Label"), form.GetValueOrDefault("Address")),
            };
        }
        else if (mediaCount > 0 && form.GetValueOrDefault("MediaUrl0") is { } url)
        {
            var mime = form.GetValueOrDefault("MediaContentType0");
            var kind = mime switch
            {
                not null when mime.StartsWith("image/", StringComparison.Ordinal) => MessageContentType.Image,
                not null when mime.StartsWith("audio/", StringComparison.Ordinal) => MessageContentType.Audio,
                not null when mime.StartsWith("video/", StringComparison.Ordinal) => MessageContentType.Video,
                _ => MessageContentType.Document,
            };
            // Further media (MediaUrl1..9) are rare on WhatsApp; the first is the message, the rest are not dropped silently.
            content = new MessageContent(kind, body, url) { Media = new MediaReference(null, mime, Url: url) };
        }
        else if (form.GetValueOrDefault("ButtonPayload") is { } payload)
        {
            content = new MessageContent(MessageContentType.Choice, form.GetValueOrDefault("ButtonText") ?? body) { ChoiceId = payload };
        }
        else if (!string.IsNullOrEmpty(body))
        {
            content = MessageContent.FromText(body);
        }
        else
        {
            content = new MessageContent(MessageContentType.Unsupported) { UnsupportedReason = "Twilio message without body or media" };
        }
        if (form.GetValueOrDefault("OriginalRepliedMessageSid") is { } quoted)
        {
            content = content with { ReferencedMessageId = quoted };
        }

        return new ReceivedMessage(from, form.GetValueOrDefault("ProfileName"), sid, content, receivedAt);
    }

    public static DeliveryUpdate? ToStatus(IReadOnlyDictionary<string, string> form, DateTimeOffset receivedAt)
    {
        var status = form.GetValueOrDefault("MessageStatus");
        var sid = form.GetValueOrDefault("MessageSid");
        if (status is null || sid is null)
        {
            return null;
        }

        var mapped = status switch
        {
            "sent" => DeliveryStatuses.Sent,
            "delivered" => DeliveryStatuses.Delivered,
            "read" => DeliveryStatuses.Read,
            "failed" or "undelivered" => DeliveryStatuses.Failed,
            _ => null,
        };
        return mapped is null ? null : new DeliveryUpdate(sid, mapped, form.GetValueOrDefault("ErrorCode"), receivedAt);
    }

    /// <summary>Twilio's addresses are "whatsapp:+5511…"; the customer's id is the number, as WhatsApp's wa_id is.</summary>
    private static string? Strip(string? address) =>
        address is null ? null : address.StartsWith("whatsapp:", StringComparison.Ordinal) ? address["whatsapp:".Length..].TrimStart('+') : address;
}
