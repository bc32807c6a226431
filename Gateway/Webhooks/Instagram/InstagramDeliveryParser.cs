using System.Text.Json;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.Webhooks.Meta;

namespace SaasAssistants.Gateway.Webhooks.Instagram;

/// <summary>
/// An Instagram Messaging delivery: <c>entry[]</c>, each for one account (<c>id</c>), with <c>messaging[]</c> events
/// (or, from the app dashboard's test button, <c>changes[]</c> with <c>field: messages</c> and the same event as the
/// value). An entry for another account refuses the whole delivery, like a foreign phone number on WhatsApp.
/// </summary>
public static class InstagramDeliveryParser
{
    public const string ObjectName = "instagram";

    public static ChannelDelivery Parse(JsonElement root, MessagingChannel channel, out WebhookRejection? rejection)
    {
        rejection = null;
        if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            rejection = WebhookRejection.InvalidPayload(new Dictionary<string, string[]> { ["entry"] = ["is required and must be an array."] });
            return new ChannelDelivery([], []);
        }
        var messages = new List<ReceivedMessage>();
        var statuses = new List<DeliveryUpdate>();
        var errors = new Dictionary<string, string[]>();
        var e = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var path = $"entry[{e++}]";
            var accountId = entry.Str("id") ?? entry.Long("id")?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (accountId is null)
            {
                errors[$"{path}.id"] = ["is required."];
                continue;
            }
            if (accountId != channel.ExternalId)
            {
                rejection = WebhookRejection.UnknownAccount("Instagram account id");
                return new ChannelDelivery([], []);
            }
            var events = entry.Arr("messaging")
                .Concat(entry.Arr("changes").Where(change => change.Str("field") == "messages").Select(change => change.Obj("value")).OfType<JsonElement>());
            var m = 0;
            foreach (var messaging in events)
            {
                InstagramEventMapper.Map(messaging, accountId, messages, statuses, out var error);
                if (error is not null)
                {
                    errors[$"{path}.messaging[{m}]"] = [error];
                }

                m++;
            }
        }
        if (errors.Count > 0)
        {
            rejection = WebhookRejection.InvalidPayload(errors);
        }

        return new ChannelDelivery(messages, statuses);
    }
}
