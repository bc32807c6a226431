namespace SaasAssistants.WebApp.Assistants;

public sealed record AssistantView(Guid Id, string Name, string SystemPrompt, string? Greeting, string? Language, int BufferTimeoutMs,
    IReadOnlyList<string> ProviderChain, string? Model, DateTimeOffset CreatedAt);
