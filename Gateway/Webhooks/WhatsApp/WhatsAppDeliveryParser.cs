using System.Text.Json;
using SaasAssistants.Database.Entities;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.Webhooks.Meta;

namespace SaasAssistants.Gateway.Webhooks.WhatsApp;

/// <summary>
/// A WhatsApp Cloud API delivery: <c>entry[].changes[]</c> with <c>field: messages</c>, each with <c>metadata</c>,
/// <c>contacts[]</c>, <c>messages[]</c> and <c>statuses[]</c>. Meta batches freely (several entries, changes or
/// messages in one POST): every message becomes its own event. Other fields (account updates, templates) are
/// accepted and ignored. The whole delivery is refused when any change names another phone number, since a
/// misrouted batch must not be half-processed.
/// </summary>
public static class WhatsAppDeliveryParser
{
    public const string ObjectName = "whatsapp_business_account";

    public static ChannelDelivery Parse(JsonElement root, MessagingChannel channel, out WebhookRejection? rejection)
    {
        rejection = null;
        var messages = new List<ReceivedMessage>();
        var statuses = new List<DeliveryUpdate>();
        var errors = new Dictionary<string, string[]>();
        if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            rejection = WebhookRejection.InvalidPayload(new Dictionary<string, string[]> { ["entry"] = ["is required and must be an array."] });
            return Empty;
        }

        var e = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var c = 0;
            foreach (var change in entry.Arr("changes"))
            {
                var path = $"entry[{e}].changes[{c++}]";
                if (change.Str("field") != "messages")
                {
                    continue;
                }

                if (change.Obj("value") is not { } value)
                {
                    errors[$"{path}.value"] = ["is required."];
                    continue;
                }
                var phoneNumberId = value.Obj("metadata")?.Str("phone_number_id");
                if (phoneNumberId is null)
                {
                    errors[$"{path}.value.metadata.phone_number_id"] = ["is required."];
                    continue;
                }
                if (phoneNumberId != channel.ExternalId)
                {
                    rejection = WebhookRejection.UnknownAccount("phone_number_id");
                    return Empty;
                }
                ReadMessages(value, path, messages, errors);
                ReadStatuses(value, path, statuses, errors);
            }
            e++;
        }
        if (errors.Count > 0)
        {
            rejection = WebhookRejection.InvalidPayload(errors);
        }

        return new ChannelDelivery(messages, statuses);
    }

    private static readonly ChannelDelivery Empty = new([], []);

    private static void ReadMessages(JsonElement value, string path, List<ReceivedMessage> messages, Dictionary<string, string[]> errors)
    {
        var names = value.Arr("contacts")
            .Where(contact => contact.Str("wa_id") is not null)
            .GroupBy(contact => contact.Str("wa_id")!)
            .ToDictionary(group => group.Key, group => group.First().Obj("profile")?.Str("name"));
        var m = 0;
        foreach (var message in value.Arr("messages"))
        {
            var at = $"{path}.value.messages[{m++}]";
            var from = message.Str("from");
            var id = message.Str("id");
            var timestamp = message.Long("timestamp");
            if (from is null || id is null || timestamp is null)
            {
                errors[at] = ["from, id and timestamp are required."];
                continue;
            }
            messages.Add(new ReceivedMessage(from, names.GetValueOrDefault(from), id, WhatsAppMessageMapper.ToContent(message),
                DateTimeOffset.FromUnixTimeSeconds(timestamp.Value)));
        }
    }

    private static void ReadStatuses(JsonElement value, string path, List<DeliveryUpdate> statuses, Dictionary<string, string[]> errors)
    {
        var s = 0;
        foreach (var status in value.Arr("statuses"))
        {
            var at = $"{path}.value.statuses[{s++}]";
            var id = status.Str("id");
            var state = status.Str("status");
            var timestamp = status.Long("timestamp");
            if (id is null || state is null || timestamp is null)
            {
                errors[at] = ["id, status and timestamp are required."];
                continue;
            }
            // "deleted" and "warning" exist too; only the lifecycle states move a message.
            if (state is not (DeliveryStatuses.Sent or DeliveryStatuses.Delivered or DeliveryStatuses.Read or DeliveryStatuses.Failed))
            {
                continue;
            }

            var error = status.Arr("errors").FirstOrDefault();
            var code = error.ValueKind == JsonValueKind.Object ? error.Long("code")?.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            statuses.Add(new DeliveryUpdate(id, state, code, DateTimeOffset.FromUnixTimeSeconds(timestamp.Value)));
        }
    }
}
