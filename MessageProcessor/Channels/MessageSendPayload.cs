using System.Text.Json;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>
/// The payload of a <c>message.send</c> task: <c>{messageId, template?: {name, language, parameters?: [string]}}</c>.
/// The message (an outbound row, stored before the task) is what is sent; a template replaces its text on WhatsApp,
/// which is how a business writes first or again after the 24-hour window.
/// </summary>
public sealed record MessageSendPayload(Guid MessageId, TemplateMessage? Template)
{
    public static IReadOnlyList<TaskPayloadError> Validate(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return [new TaskPayloadError("$", "must be a JSON object.")];
        }

        var errors = new List<TaskPayloadError>();
        if (!payload.TryGetProperty("messageId", out var id) || id.ValueKind != JsonValueKind.String || !Guid.TryParse(id.GetString(), out _))
        {
            errors.Add(new TaskPayloadError("messageId", "is required and must be a message id (a uuid)."));
        }

        if (payload.TryGetProperty("template", out var template) && template.ValueKind != JsonValueKind.Null)
        {
            if (template.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new TaskPayloadError("template", "must be an object."));
            }
            else
            {
                if (!NonEmpty(template, "name"))
                {
                    errors.Add(new TaskPayloadError("template.name", "is required."));
                }

                if (!NonEmpty(template, "language"))
                {
                    errors.Add(new TaskPayloadError("template.language", "is required (e.g. pt_BR)."));
                }

                if (template.TryGetProperty("parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null
                    && (parameters.ValueKind != JsonValueKind.Array || parameters.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String)))
                {
                    errors.Add(new TaskPayloadError("template.parameters", "must be an array of strings."));
                }
            }
        }
        return errors;
    }

    /// <summary>Reads a payload that passed <see cref="Validate"/>.</summary>
    public static MessageSendPayload From(JsonElement payload)
    {
        TemplateMessage? template = null;
        if (payload.TryGetProperty("template", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            var parameters = t.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Select(e => e.GetString()!).ToList()
                : [];
            template = new TemplateMessage(t.GetProperty("name").GetString()!, t.GetProperty("language").GetString()!, parameters);
        }
        return new MessageSendPayload(Guid.Parse(payload.GetProperty("messageId").GetString()!), template);
    }

    private static bool NonEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString());
}
