using System.Text.Json;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>
/// The reply settings an assistant keeps in <c>provider_settings</c> besides its chain:
/// <c>{"language": "pt-BR", "model": "gpt-4o-mini", "maxTokens": 400, "contextTokens": 4000}</c>, all optional.
/// Values of the wrong kind are ignored (the chain's own parser refuses a malformed document).
/// </summary>
public sealed record AssistantReplySettings(string? Language, string? Model, int? MaxTokens, int? ContextTokens)
{
    public static AssistantReplySettings Parse(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        var root = document.RootElement;
        return new AssistantReplySettings(Text(root, "language"), Text(root, "model"), Positive(root, "maxTokens"), Positive(root, "contextTokens"));
    }

    private static string? Text(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static int? Positive(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0 ? number : null;
}
