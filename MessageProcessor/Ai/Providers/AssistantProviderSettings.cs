using System.Text.Json;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// An assistant's own AI settings (<c>assistants.provider_settings</c>, jsonb): <c>{"chain": ["primary", "fallback", ...]}</c>
/// names providers of <c>Ai:Providers</c> in the order they are tried for that assistant's work. Absent or empty: the
/// deployment's <c>Ai:Chain</c>. Settings that are not an object, or a chain that is not a list of names, are refused.
/// </summary>
public sealed record AssistantProviderSettings(IReadOnlyList<string> Chain)
{
    public static AssistantProviderSettings Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        }
        catch (JsonException ex)
        {
            throw new InvalidAssistantSettingsException("An assistant's provider settings are not valid JSON.", ex);
        }
        using var _ = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidAssistantSettingsException("An assistant's provider settings must be a JSON object.");
        }

        if (!root.TryGetProperty("chain", out var chain) || chain.ValueKind == JsonValueKind.Null)
        {
            return new AssistantProviderSettings([]);
        }

        if (chain.ValueKind != JsonValueKind.Array || chain.EnumerateArray().Any(name => name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString())))
        {
            throw new InvalidAssistantSettingsException("An assistant's provider chain must be a list of provider names.");
        }

        return new AssistantProviderSettings(chain.EnumerateArray().Select(name => name.GetString()!).ToList());
    }
}
