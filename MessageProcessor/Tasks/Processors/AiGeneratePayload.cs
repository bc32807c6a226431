using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SaasAssistants.MessageProcessor.Tasks.Processors;

/// <summary>
/// The payload of an <c>ai.generate</c> task: <c>{prompt, context?, system?, provider?, model?, maxTokens?, assistantId?}</c>.
/// <c>context</c> is reference material for the model (text, or any JSON, passed on as written); <c>assistantId</c> runs
/// the task with that assistant's provider chain; <c>model</c> is asked of the first provider tried.
/// </summary>
public sealed record AiGeneratePayload(
    string Prompt, string? Context, string? System, string? Provider, string? Model, int? MaxTokens, Guid? AssistantId = null)
{
    private static readonly string[] OptionalTexts = ["system", "provider", "model"];

    public static IReadOnlyList<TaskPayloadError> Validate(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return [new TaskPayloadError("$", "must be a JSON object.")];
        }

        var errors = new List<TaskPayloadError>();
        if (!payload.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(prompt.GetString()))
        {
            errors.Add(new TaskPayloadError("prompt", "is required and must be a non-empty string."));
        }

        foreach (var name in OptionalTexts)
        {
            if (payload.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            {
                errors.Add(new TaskPayloadError(name, "must be a string."));
            }
            else if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
            {
                errors.Add(new TaskPayloadError(name, "cannot be empty; leave it out instead."));
            }
        }
        if (payload.TryGetProperty("maxTokens", out var maxTokens) && maxTokens.ValueKind != JsonValueKind.Null
            && (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out var tokens) || tokens < 1))
        {
            errors.Add(new TaskPayloadError("maxTokens", "must be a positive integer."));
        }

        if (payload.TryGetProperty("assistantId", out var assistantId) && assistantId.ValueKind != JsonValueKind.Null
            && (assistantId.ValueKind != JsonValueKind.String || !Guid.TryParse(assistantId.GetString(), out _)))
        {
            errors.Add(new TaskPayloadError("assistantId", "must be an assistant's id (a uuid)."));
        }

        return errors;
    }

    /// <summary>Reads a payload that passed <see cref="Validate"/>.</summary>
    public static AiGeneratePayload From(JsonElement payload) => new(
        payload.GetProperty("prompt").GetString()!,
        payload.TryGetProperty("context", out var context) && context.ValueKind != JsonValueKind.Null
            ? context.ValueKind == JsonValueKind.String ? context.GetString() : context.GetRawText()
            : null,
        Text(payload, "system"),
        Text(payload, "provider"),
        Text(payload, "model"),
        payload.TryGetProperty("maxTokens", out var maxTokens) && maxTokens.ValueKind == JsonValueKind.Number ? maxTokens.GetInt32() : null,
        Text(payload, "assistantId") is { } assistantId ? Guid.Parse(assistantId) : null);

    /// <summary>The instructions (system text, then the context) as one system message, and the prompt as the user's.</summary>
    public IReadOnlyList<ChatMessage> ToMessages()
    {
        var instructions = string.Join("\n\n", new[] { System, Context is null ? null : $"Context:\n{Context}" }.Where(part => part is not null));
        return instructions.Length == 0
            ? [new ChatMessage(ChatRole.User, Prompt)]
            : [new ChatMessage(ChatRole.System, instructions), new ChatMessage(ChatRole.User, Prompt)];
    }

    public ChatOptions ToOptions() => new() { ModelId = Model, MaxOutputTokens = MaxTokens };

    private static string? Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
