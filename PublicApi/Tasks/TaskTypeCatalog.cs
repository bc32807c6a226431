using System.Globalization;
using System.Text.Json;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// The task types a partner may create, with the seeds' spellings as aliases (seed 001's DOCUMENT_SUMMARY, seed 003's
/// MESSAGE_SEND and BOLETO_EMIT), and each type's payload rules: an unknown type or a payload its processor would
/// refuse is a 400 at creation rather than a 202 followed by a dead letter. The rules repeat the processors' own
/// (MessageProcessor validates again before it runs a task): the PublicApi does not load the processors.
/// </summary>
internal static class TaskTypeCatalog
{
    private static readonly Dictionary<string, Func<JsonElement, IEnumerable<(string Field, string Message)>>> Types = new(StringComparer.Ordinal)
    {
        ["ai.generate"] = AiGenerate,
        ["message.send"] = MessageSend,
        // Known (seed 003) but not available: see Unavailable.
        ["boleto.emit"] = BoletoEmit,
    };

    /// <summary>
    /// Types we recognise and validate but cannot run, and why. Emitting a boleto means registering it with a bank or
    /// payment provider, and this deployment has no such integration: a task would wait queued forever (no processor),
    /// and a processor without a provider could only pretend. So creation is refused with a 422 instead.
    /// </summary>
    private static readonly Dictionary<string, string> Unavailable = new(StringComparer.Ordinal)
    {
        ["boleto.emit"] = "Boleto emission is not available: this deployment has no bank or payment provider to register boletos with. Nothing was created.",
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["DOCUMENT_SUMMARY"] = "ai.generate",
        ["MESSAGE_SEND"] = "message.send",
        ["BOLETO_EMIT"] = "boleto.emit",
    };

    public static IEnumerable<string> Names => Types.Keys.Concat(Aliases.Keys);

    /// <summary>Our name for a type or one of its aliases; false when the type is unknown.</summary>
    public static bool TryResolve(string type, out string resolved)
    {
        if (Aliases.TryGetValue(type, out var alias))
        {
            resolved = alias;
            return true;
        }
        resolved = type;
        return Types.ContainsKey(type);
    }

    /// <summary>Why a known type cannot be created here, or null when it can.</summary>
    public static string? UnavailableReason(string resolvedType) => Unavailable.GetValueOrDefault(resolvedType);

    /// <summary>The payload's problems for a resolved type, keyed "payload.{field}".</summary>
    public static IEnumerable<(string Field, string Message)> ValidatePayload(string resolvedType, JsonElement payload)
        => Types[resolvedType](payload).Select(e => ("payload." + e.Field, e.Message));

    private static IEnumerable<(string, string)> AiGenerate(JsonElement payload)
    {
        if (!NonEmptyString(payload, "prompt"))
        {
            yield return ("prompt", "prompt is required and must be a non-empty string.");
        }

        foreach (var name in new[] { "system", "provider", "model" })
        {
            if (payload.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            {
                yield return (name, $"{name} must be a string.");
            }
        }
        if (payload.TryGetProperty("maxTokens", out var maxTokens) && maxTokens.ValueKind != JsonValueKind.Null
            && (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out var tokens) || tokens < 1))
        {
            yield return ("maxTokens", "maxTokens must be a positive integer.");
        }

        if (payload.TryGetProperty("assistantId", out var assistant) && assistant.ValueKind != JsonValueKind.Null && !IsUuid(assistant))
        {
            yield return ("assistantId", "assistantId must be an assistant's id (a uuid).");
        }
    }

    private static IEnumerable<(string, string)> MessageSend(JsonElement payload)
    {
        if (!payload.TryGetProperty("messageId", out var id) || !IsUuid(id))
        {
            yield return ("messageId", "messageId is required and must be a message id (a uuid).");
        }

        if (payload.TryGetProperty("template", out var template) && template.ValueKind is not (JsonValueKind.Null or JsonValueKind.Object))
        {
            yield return ("template", "template must be an object {name, language, parameters?}.");
        }
        else if (template.ValueKind == JsonValueKind.Object && (!NonEmptyString(template, "name") || !NonEmptyString(template, "language")))
        {
            yield return ("template", "template needs a name and a language (e.g. pt_BR).");
        }
    }

    private static IEnumerable<(string, string)> BoletoEmit(JsonElement payload)
    {
        if (!payload.TryGetProperty("amount", out var amount) || amount.ValueKind != JsonValueKind.Number || !amount.TryGetDecimal(out var value) || value <= 0)
        {
            yield return ("amount", "amount is required and must be a positive number (BRL).");
        }

        if (!payload.TryGetProperty("dueDate", out var due) || due.ValueKind != JsonValueKind.String
            || !DateOnly.TryParseExact(due.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return ("dueDate", "dueDate is required, as yyyy-MM-dd.");
        }

        if (!payload.TryGetProperty("payer", out var payer) || payer.ValueKind != JsonValueKind.Object
            || !NonEmptyString(payer, "name") || !NonEmptyString(payer, "document"))
        {
            yield return ("payer", "payer is required, with name and document (CPF or CNPJ).");
        }
    }

    private static bool NonEmptyString(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString());

    private static bool IsUuid(JsonElement value) => value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out _);
}
