using System.Security.Cryptography;
using System.Text.Json;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>A valid create request, normalized: defaults applied, names parsed, the schedule in UTC.</summary>
internal sealed record NewTask(
    string Type, int Priority, JsonElement Payload, DateTimeOffset? ScheduledAt, int MaxAttempts,
    DomainType? DomainType, CapabilityType? CapabilityType, ExecutionType? ExecutionType)
{
    /// <summary>
    /// tasks.request_hash: SHA-256 of a canonical JSON form of the normalized request, so a replay that differs only in
    /// what does not change the meaning (key order, whitespace, escapes, enum case, an explicit default) is still the
    /// same request. Numbers are compared as written (1 and 1.0 differ): the payload is opaque to us, and a processor
    /// may well tell them apart. A version prefix lets the canonical form change without mistaking old hashes.
    /// </summary>
    public string Hash()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", Type);
            writer.WriteNumber("priority", Priority);
            writer.WritePropertyName("payload");
            WriteCanonical(writer, Payload);
            // A null schedule means "when received", so it stays null: a later replay must not turn into a new time.
            writer.WriteString("scheduledAt", ScheduledAt?.UtcDateTime.ToString("O"));
            writer.WriteNumber("maxAttempts", MaxAttempts);
            writer.WriteString("domainType", DomainType?.ToString());
            writer.WriteString("capabilityType", CapabilityType?.ToString());
            writer.WriteString("executionType", ExecutionType?.ToString());
            writer.WriteEndObject();
        }
        return "v1:" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Objects with their properties in ordinal order; strings re-escaped by the writer, so "é" equals "\u00e9".</summary>
    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
