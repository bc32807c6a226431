namespace SaasAssistants.Database.Entities;

public sealed class Assistant : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string SystemPrompt { get; set; }
    public string? Greeting { get; set; }
    /// <summary>How long a conversation must be quiet before its buffered messages are answered together.</summary>
    public int BufferTimeoutMs { get; set; } = 3000;
    /// <summary>Provider chain and model choices, as JSON (shape owned by the AI feature).</summary>
    public string ProviderSettings { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
}
