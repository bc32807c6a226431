namespace SaasAssistants.PublicApi.Assistants;

/// <summary>An assistant to create, or the whole new state of one (PUT). Nullable so a missing field is a field error.</summary>
/// <param name="Name">1 to 100 characters.</param>
/// <param name="SystemPrompt">The assistant's instructions, 1 to 20,000 characters.</param>
/// <param name="Greeting">Optional first message on the web widget, at most 1,000 characters.</param>
/// <param name="BufferTimeoutMs">How long a conversation must be quiet before its messages are answered together: 0 to 60,000 ms; 3,000 when omitted.</param>
/// <param name="WorkspaceId">The workspace it belongs to; the tenant's first workspace when omitted (create only).</param>
public sealed record AssistantRequest(
    string? Name,
    string? SystemPrompt,
    string? Greeting = null,
    int? BufferTimeoutMs = null,
    Guid? WorkspaceId = null)
{
    public const int MaxNameLength = 100;
    public const int MaxSystemPromptLength = 20_000;
    public const int MaxGreetingLength = 1_000;

    public Dictionary<string, string[]>? Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength)
        {
            errors["name"] = [$"name is required, at most {MaxNameLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(SystemPrompt) || SystemPrompt.Length > MaxSystemPromptLength)
        {
            errors["systemPrompt"] = [$"systemPrompt is required, at most {MaxSystemPromptLength} characters."];
        }

        if (Greeting is { Length: > MaxGreetingLength })
        {
            errors["greeting"] = [$"greeting must be at most {MaxGreetingLength} characters."];
        }

        if (BufferTimeoutMs is < 0 or > 60_000)
        {
            errors["bufferTimeoutMs"] = ["bufferTimeoutMs must be between 0 and 60000."];
        }

        return errors.Count == 0 ? null : errors;
    }
}
