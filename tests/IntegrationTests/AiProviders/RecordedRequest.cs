using System.Text.Json;

namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>One request as it arrived on the wire: what the SDK really sent.</summary>
public sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
