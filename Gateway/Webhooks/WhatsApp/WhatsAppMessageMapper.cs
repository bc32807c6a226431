using System.Text.Json;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Gateway.Webhooks.Meta;

namespace SaasAssistants.Gateway.Webhooks.WhatsApp;

/// <summary>
/// One entry of a WhatsApp Cloud API <c>value.messages[]</c> to the internal protocol, for every type Meta documents.
/// A type we do not know, and Meta's own <c>unsupported</c>/<c>unknown</c>, become Unsupported with Meta's error, so
/// the customer's message is still recorded.
/// </summary>
public static class WhatsAppMessageMapper
{
    public static MessageContent ToContent(JsonElement message)
    {
        var type = message.Str("type");
        var content = type switch
        {
            "text" => MessageContent.FromText(message.Obj("text")?.Str("body") ?? string.Empty),
            "image" => Media(MessageContentType.Image, message, "image"),
            "video" => Media(MessageContentType.Video, message, "video"),
            "document" => Media(MessageContentType.Document, message, "document"),
            "sticker" => Media(MessageContentType.Sticker, message, "sticker"),
            "audio" or "voice" => Media(MessageContentType.Audio, message, type),
            "location" => Location(message.Obj("location")),
            "contacts" => Contacts(message),
            "interactive" => Interactive(message.Obj("interactive")),
            // A quick-reply button of a template the business sent.
            "button" => new MessageContent(MessageContentType.Choice, message.Obj("button")?.Str("text")) { ChoiceId = message.Obj("button")?.Str("payload") },
            "reaction" => Reaction(message.Obj("reaction")),
            _ => Unsupported(message, type),
        };
        // A reply quoting an earlier message (context.id); a reaction's target is its own field.
        return content.ReferencedMessageId is null && message.Obj("context")?.Str("id") is { } quoted
            ? content with { ReferencedMessageId = quoted }
            : content;
    }

    private static MessageContent Media(MessageContentType kind, JsonElement message, string field)
    {
        var media = message.Obj(field) ?? message.Obj("audio");
        if (media is not { } m || m.Str("id") is null)
        {
            return Unsupported(message, field);
        }

        return new MessageContent(kind, m.Str("caption"))
        {
            Media = new MediaReference(m.Str("id"), m.Str("mime_type"), m.Str("filename"), m.Str("sha256"), m.Str("url")) { Voice = field == "voice" || m.Bool("voice") },
        };
    }

    private static MessageContent Location(JsonElement? location)
    {
        if (location is not { } l || l.Double("latitude") is not { } latitude || l.Double("longitude") is not { } longitude)
        {
            return new MessageContent(MessageContentType.Unsupported) { UnsupportedReason = "location without coordinates" };
        }

        return new MessageContent(MessageContentType.Location, l.Str("name"))
        {
            Location = new LocationContent(latitude, longitude, l.Str("name"), l.Str("address"), l.Str("url")),
        };
    }

    private static MessageContent Contacts(JsonElement message)
    {
        var contacts = message.Arr("contacts")
            .Select(c => new SharedContact(
                c.Obj("name")?.Str("formatted_name") ?? c.Obj("name")?.Str("first_name"),
                c.Arr("phones").Select(p => p.Str("phone") ?? p.Str("wa_id")).OfType<string>().ToList()))
            .ToList();
        return new MessageContent(MessageContentType.Contacts, string.Join(", ", contacts.Select(c => c.Name).OfType<string>())) { Contacts = contacts };
    }

    private static MessageContent Interactive(JsonElement? interactive)
    {
        var kind = interactive?.Str("type");
        var reply = kind is null ? null : interactive!.Value.Obj(kind);
        if (kind is not ("button_reply" or "list_reply") || reply is not { } r)
        {
            return new MessageContent(MessageContentType.Unsupported) { UnsupportedReason = $"interactive:{kind ?? "none"}" };
        }

        return new MessageContent(MessageContentType.Choice, r.Str("title")) { ChoiceId = r.Str("id") };
    }

    private static MessageContent Reaction(JsonElement? reaction)
    {
        var emoji = reaction?.Str("emoji");
        // Meta sends the removal of a reaction as a reaction without an emoji.
        return new MessageContent(MessageContentType.Reaction)
        {
            ReferencedMessageId = reaction?.Str("message_id"),
            Emoji = string.IsNullOrEmpty(emoji) ? null : emoji,
        };
    }

    private static MessageContent Unsupported(JsonElement message, string? type)
    {
        var error = message.Arr("errors").FirstOrDefault();
        var reason = error.ValueKind == JsonValueKind.Object
            ? $"{error.Long("code")}: {error.Str("title") ?? error.Str("message")}"
            : $"type:{type ?? "missing"}";
        return new MessageContent(MessageContentType.Unsupported) { UnsupportedReason = reason };
    }
}
