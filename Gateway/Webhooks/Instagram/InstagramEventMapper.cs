using System.Globalization;
using System.Text.Json;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Gateway.Webhooks.Meta;

namespace SaasAssistants.Gateway.Webhooks.Instagram;

/// <summary>
/// One Instagram <c>messaging[]</c> event to what it means for us: a customer message in the internal protocol, a read
/// receipt on one of our sends, or nothing (our own echoes, kinds we do not use). Every customer action gets a channel
/// message id of its own, since reactions, edits and deletions all name the mid of the message they act on.
/// </summary>
public static class InstagramEventMapper
{
    public static void Map(JsonElement messaging, string accountId, List<ReceivedMessage> messages, List<DeliveryUpdate> statuses, out string? error)
    {
        error = null;
        var sender = messaging.Obj("sender")?.Str("id");
        var timestamp = messaging.Long("timestamp");
        if (sender is null || timestamp is null)
        {
            error = "sender.id and timestamp are required.";
            return;
        }
        var at = DateTimeOffset.FromUnixTimeMilliseconds(timestamp.Value);

        if (messaging.Obj("read") is { } read)
        {
            if (read.Str("mid") is { } readMid)
            {
                statuses.Add(new DeliveryUpdate(readMid, DeliveryStatuses.Read, null, at));
            }

            return;
        }
        // Our own sends come back as echoes (and their reactions from our account): never the customer's words.
        if (sender == accountId || messaging.Obj("message")?.Bool("is_echo") == true)
        {
            return;
        }

        var (channelMessageId, content) = ToContent(messaging);
        if (content is null)
        {
            return;
        }

        if (channelMessageId is null)
        {
            error = "the event names no mid.";
            return;
        }
        messages.Add(new ReceivedMessage(sender, null, channelMessageId, content, at));
    }

    private static (string? Mid, MessageContent? Content) ToContent(JsonElement messaging)
    {
        if (messaging.Obj("message") is { } message)
        {
            return (message.Str("mid") is { } mid && message.Bool("is_deleted") ? mid + ":deleted" : message.Str("mid"), Message(message));
        }

        if (messaging.Obj("postback") is { } postback)
        {
            return (postback.Str("mid"), new MessageContent(MessageContentType.Choice, postback.Str("title")) { ChoiceId = postback.Str("payload") });
        }

        if (messaging.Obj("reaction") is { } reaction)
        {
            var removed = reaction.Str("action") == "unreact";
            var target = reaction.Str("mid");
            // The target's mid plus the action and time: a reaction, its change and its removal are separate actions.
            var id = target is null ? null : $"{target}:{(removed ? "unreact" : "react")}:{messaging.Long("timestamp")}";
            return (id, new MessageContent(MessageContentType.Reaction)
            {
                ReferencedMessageId = target,
                Emoji = removed ? null : reaction.Str("emoji") ?? reaction.Str("reaction"),
            });
        }
        if (messaging.Obj("message_edit") is { } edit)
        {
            var target = edit.Str("mid");
            var number = edit.Long("num_edit")?.ToString(CultureInfo.InvariantCulture) ?? "1";
            return (target is null ? null : $"{target}:edit:{number}", new MessageContent(MessageContentType.Edit, edit.Str("text")) { ReferencedMessageId = target });
        }
        // Referrals, opt-ins and other kinds carry no customer message.
        return (null, null);
    }

    private static MessageContent Message(JsonElement message)
    {
        var quoted = message.Obj("reply_to") is { } replyTo
            ? replyTo.Str("mid") ?? (replyTo.Obj("story")?.Str("id") is { } story ? "story:" + story : null)
            : null;
        var content = Body(message);
        return quoted is null || content.ReferencedMessageId is not null ? content : content with { ReferencedMessageId = quoted };
    }

    private static MessageContent Body(JsonElement message)
    {
        if (message.Bool("is_deleted"))
        {
            return new MessageContent(MessageContentType.Deletion) { ReferencedMessageId = message.Str("mid") };
        }

        if (message.Bool("is_unsupported"))
        {
            return new MessageContent(MessageContentType.Unsupported) { UnsupportedReason = "is_unsupported" };
        }

        if (message.Obj("quick_reply") is { } quickReply)
        {
            return new MessageContent(MessageContentType.Choice, message.Str("text")) { ChoiceId = quickReply.Str("payload") };
        }

        var attachment = message.Arr("attachments").FirstOrDefault();
        if (attachment.ValueKind == JsonValueKind.Object)
        {
            var url = attachment.Obj("payload")?.Str("url");
            var type = attachment.Str("type");
            var kind = type switch
            {
                "image" => MessageContentType.Image,
                "video" or "ig_reel" or "reel" => MessageContentType.Video,
                "audio" => MessageContentType.Audio,
                "file" => MessageContentType.Document,
                "share" => MessageContentType.Share,
                "story_mention" => MessageContentType.StoryMention,
                _ => MessageContentType.Unsupported,
            };
            return kind switch
            {
                MessageContentType.Unsupported => new MessageContent(kind) { UnsupportedReason = $"attachment:{type ?? "none"}" },
                MessageContentType.Share or MessageContentType.StoryMention => new MessageContent(kind, message.Str("text"), url),
                _ => new MessageContent(kind, message.Str("text"), url) { Media = new MediaReference(null, null, Url: url) },
            };
        }
        return message.Str("text") is { } text
            ? MessageContent.FromText(text)
            : new MessageContent(MessageContentType.Unsupported) { UnsupportedReason = "message without text or attachment" };
    }
}
