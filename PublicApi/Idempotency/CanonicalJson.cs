using System.Security.Cryptography;
using System.Text.Json;

namespace SaasAssistants.PublicApi.Idempotency;

/// <summary>
/// A request's hash for Idempotency-Key: SHA-256 of its JSON with object properties in ordinal order and strings
/// re-escaped, so a retry that differs only in key order, whitespace or escapes is the same request.
/// </summary>
internal static class CanonicalJson
{
    public static string Hash<T>(T request)
    {
        var element = JsonSerializer.SerializeToElement(request, JsonSerializerOptions.Web);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, element);
        }

        return "v1:" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
