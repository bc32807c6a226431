using System.Text.Json;
using System.Text.Json.Serialization;

namespace SaasAssistants.Contracts;

/// <summary>The one JSON shape used on every wire we own: camelCase, enums as strings.</summary>
public static class ContractJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
